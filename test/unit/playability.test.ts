import { describe, expect, test } from "bun:test";
import { type ChallengeKind, type ErrorCode, YouTubeChallengeError } from "../../src/core/errors.ts";
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

  test.each([
    ["Sign in to confirm you\u2019re not a bot", "bot_check"],
    ["Sign in to confirm you're not a bot. This helps protect our community.", "bot_check"],
    ["A PO token is required for this client", "po_token_required"],
  ] as [string, ChallengeKind][])(
    "%p is a challenge of the gateway's address (%s), worth another extractor, not a verdict",
    (reason, kind) => {
      const error = verdictOf(reason, undefined);
      expect(error.code).toBe("YOUTUBE_CHALLENGE");
      expect(error).toBeInstanceOf(YouTubeChallengeError);
      expect((error as YouTubeChallengeError).kind).toBe(kind);
      expect(error.headers["Retry-After"]).toMatch(/^\d+$/);
      expect(isVerdict(error)).toBe(false);
    },
  );

  test("a country block is answered 451", () => {
    expect(
      verdictOf("The uploader has not made this video available in your country", undefined).status,
    ).toBe(451);
  });
});
