import { describe, expect, test } from "bun:test";
import { clipOf, parseClock } from "../../src/page/assets/choices.ts";

describe("the page's From / To times", () => {
  test("read minutes:seconds, hours:minutes:seconds and plain seconds", () => {
    expect(parseClock("1:30")).toBe(90);
    expect(parseClock(" 12:30 ")).toBe(750);
    expect(parseClock("1:02:05.5")).toBe(3725.5);
    expect(parseClock("45")).toBe(45);
    expect(parseClock("")).toBeNull();
  });

  test("are no time when they hold anything else", () => {
    for (const typed of ["1:2:3:4", "abc", "-5", "1:", "1:300"]) expect(parseClock(typed)).toBeNaN();
  });

  test("make no clip when both are empty, and run to the video's end when To is", () => {
    expect(clipOf("", "", 600)).toBeUndefined();
    expect(clipOf("2:00", "", 600)).toEqual({ startSeconds: 120, endSeconds: 600 });
    expect(clipOf("", "0:10", 600)).toEqual({ startSeconds: 0, endSeconds: 10 });
    expect(clipOf("x", "0:10", 600)).toBeNull();
  });
});
