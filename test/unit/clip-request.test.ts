import { describe, expect, test } from "bun:test";
import { BadUserInputError } from "../../src/core/errors.ts";
import { checkClip, clipLabel } from "../../src/tokens/clip-request.ts";

const video = { durationSeconds: 600 };

describe("a clip's time range", () => {
  test("is taken as asked when it lies within the video", () => {
    expect(checkClip({ startSeconds: 0, endSeconds: 600 }, video)).toEqual({
      startSeconds: 0,
      endSeconds: 600,
    });
    expect(checkClip({ startSeconds: 12.5, endSeconds: 13 }, { durationSeconds: undefined })).toEqual({
      startSeconds: 12.5,
      endSeconds: 13,
    });
  });

  test.each([
    [{ startSeconds: -1, endSeconds: 5 }, "clip.startSeconds"],
    [{ startSeconds: Number.NaN, endSeconds: 5 }, "clip.startSeconds"],
    [{ startSeconds: 5, endSeconds: 5 }, "clip.endSeconds"],
    [{ startSeconds: 6, endSeconds: 5 }, "clip.endSeconds"],
    [{ startSeconds: 0, endSeconds: 600.5 }, "clip.endSeconds"],
    [{ startSeconds: 0, endSeconds: Number.POSITIVE_INFINITY }, "clip.endSeconds"],
  ])("%o is refused as bad input naming %s", (clip, field) => {
    expect(() => checkClip(clip, video)).toThrow(BadUserInputError);
    expect(() => checkClip(clip, video)).toThrow(field);
  });
});

describe("a clip's label in its file name", () => {
  test("says minutes and seconds, with hours once there are any", () => {
    expect(clipLabel({ startSeconds: 750, endSeconds: 845 })).toBe("12m30s-14m05s");
    expect(clipLabel({ startSeconds: 0, endSeconds: 5.9 })).toBe("0m00s-0m05s");
    expect(clipLabel({ startSeconds: 3725, endSeconds: 7322 })).toBe("1h02m05s-2h02m02s");
  });
});
