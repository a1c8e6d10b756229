/**
 * How many ranges a download reads at once. It starts with one and tries one more only while the
 * client spends a good part of its time waiting for origin bytes (it drains faster than the
 * connections deliver); a client on a slow link has its bytes waiting for it and never makes the
 * gateway open a second connection. A range added must pay for itself: when the origin's bytes
 * arrive, over the next window, less than `GAIN` times as fast as over the window before, the
 * connection was not what held the client back (a fast origin on a busy machine), so the
 * download goes back to the count before, and tries again only `RETRY_AFTER` windows later (one
 * window can be unlucky on a busy machine). A paced origin climbs.
 */
export interface RangeRamp {
  /** Ranges wanted in flight now: 1 to `max`. */
  readonly wanted: number;
  /** Records that the client waited `waitedMs` for origin bytes before its next delivery. */
  waited(waitedMs: number): void;
  /** Records bytes arriving from the origin, on any of the ranges in flight; decides per window. */
  received(bytes: number): void;
}

/** Share of a window's time the client spent waiting on the origin above which a range is tried. */
export const OPEN_ABOVE = 0.2;
/** How much faster the origin's bytes must arrive with a range added for the range to stay. */
export const GAIN = 1.1;
/** Windows after a range that did not pay for itself before another is tried. */
export const RETRY_AFTER = 8;

export interface RangeRampOptions {
  /** `DOWNTUBE_ORIGIN_PARALLEL_RANGES`. */
  readonly max: number;
  /** Origin bytes between two decisions. */
  readonly windowBytes: number;
  /** A monotonic clock in milliseconds. */
  readonly now: () => number;
}

/** A {@link RangeRamp} that decides once per `windowBytes` received from the origin. */
export function createRangeRamp(options: RangeRampOptions): RangeRamp {
  let wanted = 1;
  /** Windows to wait before trying another range. */
  let cooldown = 0;
  /** Bytes per millisecond of the window before a range was added; undefined: none on trial. */
  let before: number | undefined;
  let windowStart = options.now();
  let arrived = 0;
  let waited = 0;

  const decide = () => {
    const now = options.now();
    const elapsed = Math.max(now - windowStart, Number.EPSILON);
    const rate = arrived / elapsed;
    if (before !== undefined && rate < before * GAIN) {
      wanted--;
      before = undefined;
      cooldown = RETRY_AFTER;
    } else if (cooldown > 0) {
      cooldown--;
    } else if (waited / elapsed > OPEN_ABOVE && wanted < options.max) {
      before = rate;
      wanted++;
    } else {
      before = undefined;
    }
    windowStart = now;
    arrived = 0;
    waited = 0;
  };

  return {
    get wanted() {
      return wanted;
    },
    waited(waitedMs) {
      waited += waitedMs;
    },
    received(count) {
      arrived += count;
      if (arrived >= options.windowBytes && options.max > 1) decide();
    },
  };
}
