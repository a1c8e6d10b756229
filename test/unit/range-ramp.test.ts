import { describe, expect, test } from "bun:test";
import {
  createRangeRamp,
  FAST_RANGE,
  RETRY_AFTER,
  RETRY_AFTER_MAX,
  WINDOW_MS,
} from "../../src/sources/range-ramp.ts";

/**
 * A ramp on a hand-moved clock, windows of 100 delivered bytes and no shortest time, its first
 * bytes delivered. `window(waited, rate)`: one window in which the client got its bytes at `rate`
 * bytes per millisecond (200 is twice as fast as 100) and spent `waited` tenths of the window
 * waiting on the origin.
 */
function rampOn(max: number) {
  let now = 0;
  const ramp = createRangeRamp({ max, windowBytes: 100, windowMs: 0, now: () => now });
  ramp.delivered(1);
  const window = (waited: number, rate: number) => {
    const ms = 100 / rate;
    now += ms;
    ramp.waited((ms * waited) / 10);
    ramp.delivered(100);
    return ramp.wanted;
  };
  /** The counts wanted after each of `count` windows alike. */
  const windows = (count: number, waited: number, rate: number) =>
    Array.from({ length: count }, () => window(waited, rate));
  return { ramp, window, windows };
}

describe("range ramp", () => {
  test("starts with one range", () => {
    expect(rampOn(4).ramp.wanted).toBe(1);
  });

  test("adds a range while the client waits and each one speeds the client up, up to the most allowed", () => {
    const { window } = rampOn(4);
    // Each range brings as much again (an origin pacing each connection). A range added settles
    // for a window, the next one decides, and the window after that may add another.
    const seen = [
      window(8, 100), // waits: a second range
      window(6, 150), // settling
      window(6, 200), // trial: ×2, kept
      window(4, 200), // a third
      window(4, 250),
      window(4, 300), // ×1.5, kept
      window(3, 300), // a fourth
      window(3, 350),
      window(3, 400), // kept
      window(3, 400), // the most allowed
    ];
    expect(seen).toEqual([2, 2, 2, 3, 3, 3, 4, 4, 4, 4]);
  });

  test("never opens a second range for a client that never waits on the origin", () => {
    const { ramp, windows } = rampOn(4);
    windows(50, 0, 100);
    expect(ramp.wanted).toBe(1);
  });

  test("a burst in the window a range settles in does not keep it: the trial window after it decides", () => {
    const { window } = rampOn(4);
    expect(window(8, 500)).toBe(2);
    // The range added fills while the one before it delivers: the next window is fast...
    expect(window(8, 900)).toBe(2);
    // ...but the download itself is no faster with it.
    expect(window(8, 510)).toBe(1);
  });

  test("after a range that did not pay, waits RETRY_AFTER windows, twice as long after each failure in a row, at most RETRY_AFTER_MAX", () => {
    const { window } = rampOn(4);
    const waits: number[] = [];
    for (let failures = 0; failures < 7; failures++) {
      let waited = 0;
      while (window(9, 500) === 1) waited++;
      waits.push(waited);
      window(9, 500); // settling
      expect(window(9, 500)).toBe(1); // no faster: back to one
    }
    const expected = [
      0,
      ...Array.from({ length: 6 }, (_, i) => Math.min(RETRY_AFTER * 2 ** i, RETRY_AFTER_MAX)),
    ];
    expect(waits).toEqual(expected);
    expect(expected.at(-1)).toBe(RETRY_AFTER_MAX);
  });

  test("a range that paid for itself resets the wait after a later failure to RETRY_AFTER", () => {
    const { window, windows } = rampOn(4);
    window(9, 100);
    window(9, 100);
    expect(window(9, 100)).toBe(1); // failed: next try after 8 windows
    windows(RETRY_AFTER, 9, 100);
    expect(window(9, 100)).toBe(2);
    window(9, 200);
    expect(window(9, 200)).toBe(2); // kept
    expect(window(9, 200)).toBe(3);
    window(9, 200);
    expect(window(9, 200)).toBe(2); // failed: again after RETRY_AFTER, not twice that
    expect(windows(RETRY_AFTER, 9, 200)).toEqual(Array(RETRY_AFTER).fill(2));
    expect(window(9, 200)).toBe(3);
  });

  test("keeps the ranges that paid for themselves when the next one does not", () => {
    const { window } = rampOn(4);
    window(8, 100);
    window(8, 200);
    window(8, 200); // the second kept
    window(8, 200); // a third
    window(8, 210);
    expect(window(8, 210)).toBe(2);
  });

  test("decides once per window of delivered bytes", () => {
    let now = 0;
    const ramp = createRangeRamp({ max: 4, windowBytes: 100, windowMs: 0, now: () => now });
    ramp.delivered(1);
    now += 10;
    ramp.waited(9);
    ramp.delivered(60);
    expect(ramp.wanted).toBe(1);
    ramp.delivered(60);
    expect(ramp.wanted).toBe(2);
  });

  test("a window lasts WINDOW_MS at least, however many bytes pass in it", () => {
    let now = 0;
    const ramp = createRangeRamp({ max: 4, windowBytes: 100, now: () => now });
    ramp.delivered(1);
    now += WINDOW_MS - 1;
    ramp.waited(WINDOW_MS - 1);
    ramp.delivered(1000);
    expect(ramp.wanted).toBe(1);
    now += 1;
    ramp.delivered(1);
    expect(ramp.wanted).toBe(2);
  });

  test("the wait for the first bytes counts for nothing: the first window starts with them", () => {
    let now = 0;
    const ramp = createRangeRamp({ max: 4, windowBytes: 100, windowMs: 0, now: () => now });
    now += 100;
    ramp.waited(100); // the first request's round trip
    ramp.delivered(100);
    expect(ramp.wanted).toBe(1);
    now += 100;
    ramp.delivered(100); // a window without waiting
    expect(ramp.wanted).toBe(1);
  });

  test("adds no range while each one in flight already brings FAST_RANGE or more", () => {
    const { ramp, windows, window } = rampOn(4);
    windows(20, 9, FAST_RANGE);
    expect(ramp.wanted).toBe(1);
    // A connection just under it, on a client that waits: a range is tried.
    expect(window(9, FAST_RANGE * 0.9)).toBe(2);
    window(9, FAST_RANGE * 1.9);
    // Two ranges bringing under FAST_RANGE each: a third.
    expect(window(9, FAST_RANGE * 1.9)).toBe(2);
    expect(window(9, FAST_RANGE * 1.9)).toBe(3);
  });

  test("with one range allowed, stays at one", () => {
    const { ramp, windows } = rampOn(1);
    windows(20, 9, 100);
    expect(ramp.wanted).toBe(1);
  });
});
