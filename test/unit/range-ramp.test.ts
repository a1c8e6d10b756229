import { describe, expect, test } from "bun:test";
import { createRangeRamp } from "../../src/sources/range-ramp.ts";

/** A ramp on a hand-moved clock: each delivery takes `ms`, of which `waited` waiting on the origin. */
function rampOn(max: number) {
  let now = 0;
  const ramp = createRangeRamp({ max, windowBytes: 100, now: () => now });
  return {
    ramp,
    deliver(bytes: number, ms: number, waited: number) {
      now += ms;
      ramp.delivered(bytes, waited);
    },
  };
}

describe("range ramp", () => {
  test("starts with one range", () => {
    expect(rampOn(4).ramp.wanted).toBe(1);
  });

  test("opens one more range per window while the client mostly waits on the origin, up to the most allowed", () => {
    const { ramp, deliver } = rampOn(4);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      deliver(100, 10, 8);
      seen.push(ramp.wanted);
    }
    expect(seen).toEqual([2, 3, 4, 4, 4, 4]);
  });

  test("never opens a second range for a client that never waits on the origin", () => {
    const { ramp, deliver } = rampOn(4);
    for (let i = 0; i < 20; i++) deliver(50, 10, 0);
    expect(ramp.wanted).toBe(1);
  });

  test("keeps the ranges it opened when a window of read-ahead bytes is drained without waiting", () => {
    const { ramp, deliver } = rampOn(4);
    deliver(100, 10, 9);
    deliver(100, 10, 9);
    deliver(100, 1, 0);
    expect(ramp.wanted).toBe(3);
  });

  test("decides once per window of bytes, not per delivery", () => {
    const { ramp, deliver } = rampOn(4);
    deliver(60, 10, 9);
    expect(ramp.wanted).toBe(1);
    deliver(60, 10, 9);
    expect(ramp.wanted).toBe(2);
  });

  test("keeps the count where it is while the client waits a little", () => {
    const { ramp, deliver } = rampOn(4);
    deliver(100, 10, 9);
    deliver(100, 100, 10);
    expect(ramp.wanted).toBe(2);
  });
});
