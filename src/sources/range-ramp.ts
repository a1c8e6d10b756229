/**
 * How many ranges a download reads at once: start with one, and open one more while the client
 * spends a good part of its time waiting for origin bytes (it drains faster than the connections
 * deliver). A client on a slow link has its bytes waiting for it and never makes the gateway open
 * a second connection. The count never goes back down within a download: a window in which the
 * client drained ranges already read ahead looks like a client that never waits, though it is the
 * fastest kind; a client that slows down later is held back by backpressure anyway (no range is
 * asked while the ones read ahead wait for it).
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
      windowStart = now;
      bytes = 0;
      waited = 0;
    },
  };
}
