import { expect, test } from "bun:test";
import { ProtoUtils } from "youtubei.js";
import { makeVisitorData } from "../../src/sources/youtube/visitor-data.ts";

test("a visitor data the gateway makes is what youtubei.js reads and makes for the same visitor and time", () => {
  for (const [id, seconds] of [
    ["AbC_dEf-123", 1764850000],
    ["00000000000", 1],
    ["zzzzzzzzzzz", 2 ** 31 - 1],
  ] as const) {
    const made = makeVisitorData(id, seconds);
    expect(ProtoUtils.decodeVisitorData(made)).toEqual({ id, timestamp: seconds });
    expect(made).toBe(ProtoUtils.encodeVisitorData(id, seconds));
  }
});

test("a visitor id that is not 11 base64url characters is refused", () => {
  expect(() => makeVisitorData("short", 1)).toThrow(RangeError);
});
