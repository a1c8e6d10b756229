import { describe, expect, test } from "bun:test";
import { createRangeRamp } from "../../src/sources/range-ramp.ts";

/**
 * A ramp on a hand-moved clock, windows of 100 origin bytes. `window(ms, waited, arrived)`: one
 * window taking `ms`, `waited` of them the client waiting on the origin, `arrived` origin bytes
 * per 100 bytes of window (a rate: 200 is twice as fast as 100).
 */
function rampOn(max: number) {
  let now = 0;
  const ramp = createRangeRamp({ max, windowBytes: 100, now: () => now });
  return {
    ramp,
    window(ms: number, waited: number, rate: number) {
      now += (ms * 100) / rate;
      ramp.waited(waited);
      ramp.received(100);
      return ramp.wanted;
    },
  };
}

describe("range ramp", () => {
  test("starts with one range", () => {
    expect(rampOn(4).ramp.wanted).toBe(1);
  });

  test("adds a range per window while the client waits and each one speeds the origin up, up to the most allowed", () => {
    const { window } = rampOn(4);
    // Each range brings as much again: the origin paces each connection.
    const seen = [
      window(10, 8, 100),
      window(10, 4, 200),
      window(10, 3, 300),
      window(10, 2, 400),
      window(10, 2, 400),
    ];
    expect(seen).toEqual([2, 3, 4, 4, 4]);
  });

  test("never opens a second range for a client that never waits on the origin", () => {
    const { ramp, window } = rampOn(4);
    for (let i = 0; i < 20; i++) window(10, 0, 100);
    expect(ramp.wanted).toBe(1);
  });

  test("goes back to one range when the second one brought nothing, and tries again only eight windows later", () => {
    const { window } = rampOn(4);
    expect(window(10, 8, 500)).toBe(2);
    expect(window(10, 8, 520)).toBe(1);
    const after = Array.from({ length: 9 }, () => window(10, 9, 500));
    expect(after).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2]);
  });

  test("keeps the ranges that paid for themselves when the next one does not", () => {
    const { window } = rampOn(4);
    window(10, 8, 100);
    window(10, 8, 200);
    expect(window(10, 8, 210)).toBe(2);
  });

  test("decides once per window of origin bytes", () => {
    let now = 0;
    const ramp = createRangeRamp({ max: 4, windowBytes: 100, now: () => now });
    now += 10;
    ramp.waited(9);
    ramp.received(60);
    expect(ramp.wanted).toBe(1);
    ramp.received(60);
    expect(ramp.wanted).toBe(2);
  });
});
