/**
 * How many ranges a download reads at once, decided from who waits on whom: start with one, and
 * open one more while the client spends a good part of its time waiting for origin bytes (it
 * drains faster than the connections deliver); give one back when it hardly ever waits (the
 * client is the slower side, so more connections would only fill memory). A client on a slow
 * link therefore never makes the gateway open several connections to the origin.
 */
export interface RangeRamp {
  /** Ranges wanted in flight now: 1 to `max`. */
  readonly wanted: number;
  /**
   * Records one delivery to the client: `bytes` handed over after waiting `waitedMs` for the
   * origin (0 when they were already there).
   */
  delivered(bytes: number, waitedMs: number): void;
}

/** Share of a window's time spent waiting on the origin above which one more range opens. */
export const OPEN_ABOVE = 0.2;
/** Share below which one range is given back. */
export const CLOSE_BELOW = 0.02;

export interface RangeRampOptions {
  /** `DOWNTUBE_ORIGIN_PARALLEL_RANGES`. */
  readonly max: number;
  /** Bytes delivered between two decisions. */
  readonly windowBytes: number;
  /** A monotonic clock in milliseconds. */
  readonly now: () => number;
}

/** A {@link RangeRamp} that decides once per `windowBytes` delivered. */
export function createRangeRamp(options: RangeRampOptions): RangeRamp {
  let wanted = 1;
  let windowStart = options.now();
  let bytes = 0;
  let waited = 0;
  return {
    get wanted() {
      return wanted;
    },
    delivered(count, waitedMs) {
      bytes += count;
      waited += waitedMs;
      if (bytes < options.windowBytes) return;
      const now = options.now();
      const share = now > windowStart ? waited / (now - windowStart) : 0;
      if (share > OPEN_ABOVE) wanted = Math.min(options.max, wanted + 1);
      else if (share < CLOSE_BELOW) wanted = Math.max(1, wanted - 1);
      windowStart = now;
      bytes = 0;
      waited = 0;
    },
  };
}
