import { describe, expect, test } from "bun:test";
import type { ErrorCode } from "../../src/core/errors.ts";
import { isVerdict } from "../../src/sources/youtube/extraction-verdict.ts";
import { verdictOf } from "../../src/sources/youtube/playability.ts";

describe("YouTube's reason for not playing a video", () => {
  test.each([
    ["This is a private video. Please sign in to verify that you may see it.", "VIDEO_PRIVATE"],
    ["Private video", "VIDEO_PRIVATE"],
    ["Sign in to confirm your age", "AGE_RESTRICTED"],
    ["This video requires payment to watch.", "VIDEO_UNAVAILABLE"],
    ["The uploader has not made this video available in your country", "VIDEO_UNAVAILABLE"],
    ["This live event will begin in a few moments.", "VIDEO_UNAVAILABLE"],
    ["Video unavailable", "VIDEO_NOT_FOUND"],
    ["Something YouTube has never said before", "VIDEO_UNAVAILABLE"],
  ] as [string, ErrorCode][])("%p is the verdict %s, final for every extractor", (reason, code) => {
    const error = verdictOf(reason, undefined);
    expect(error.code).toBe(code);
    expect(isVerdict(error)).toBe(true);
  });

  test("a sign-in asked of the gateway's address is a failure worth another extractor, not a verdict", () => {
    const error = verdictOf("Sign in to confirm you're not a bot", undefined);
    expect(error.code).toBe("UPSTREAM_ERROR");
    expect(isVerdict(error)).toBe(false);
  });

  test("a country block is answered 451", () => {
    expect(
      verdictOf("The uploader has not made this video available in your country", undefined).status,
    ).toBe(451);
  });
});
