/**
 * How many ranges a download reads at once. It starts with one and tries one more only while the
 * client spends a good part of its time waiting for origin bytes (it drains faster than the
 * connections deliver), and only while each range in flight brings less than `FAST_RANGE`: a
 * client on a slow link has its bytes waiting for it, and a fast origin fills it through one
 * connection; neither makes the gateway open a second one.
 *
 * A range added must pay for itself in what the client gets, not in what the origin sends: bytes
 * piling up in the gateway's queues are no faster download. After a range is added, one window
 * is left to settle (the range starts filling while the one before it still delivers, and a
 * window across that boundary shows a burst of bytes buffered meanwhile); the next window is the
 * trial. When the client got its bytes less than `GAIN` times as fast over the trial as over the
 * window before the range was added, the connection was not what held it back (a busy machine: more sockets only cost CPU), so the download goes back to
 * the count before. It tries again only `RETRY_AFTER` windows later, twice as long after each
 * trial that failed in a row: a fast origin settles on one connection, a paced one climbs.
 */
export interface RangeRamp {
  /** Ranges wanted in flight now: 1 to `max`. */
  readonly wanted: number;
  /** Records that the client waited `waitedMs` for origin bytes before its next delivery. */
  waited(waitedMs: number): void;
  /** Records bytes handed to the client, in order; decides once per window. */
  delivered(bytes: number): void;
}

/** Share of a window's time the client spent waiting on the origin above which a range is tried. */
export const OPEN_ABOVE = 0.2;
/** How much faster the client must get its bytes with a range added for the range to stay. */
export const GAIN = 1.1;
/** Windows after the first range that did not pay for itself before another is tried. */
export const RETRY_AFTER = 8;
/** The longest wait between two tries, in windows, however many failed before. */
export const RETRY_AFTER_MAX = 64;
/**
 * Bytes per millisecond per range in flight (64 MiB/s) above which no range is added: connections
 * that fast are not what holds a download back. Measured on loopback, one range ran at 400–900
 * MiB/s with the gateway's thread busy all the time, and a second one only took CPU from it
 * (×0.7–×0.9); a paced origin gives each connection what googlevideo does, a few to tens of MiB/s.
 */
export const FAST_RANGE = (64 * 1024 * 1024) / 1000;
/** The shortest window, in milliseconds (see {@link RangeRampOptions.windowMs}). */
export const WINDOW_MS = 50;

export interface RangeRampOptions {
  /** `DOWNTUBE_ORIGIN_PARALLEL_RANGES`. */
  readonly max: number;
  /** Bytes delivered to the client between two decisions, at least. */
  readonly windowBytes: number;
  /**
   * Milliseconds between two decisions, at least: on an origin that answers at once a window of
   * bytes passes in a few milliseconds, where one late wake-up of the process doubles its time.
   * @default WINDOW_MS
   */
  readonly windowMs?: number;
  /** A monotonic clock in milliseconds. */
  readonly now: () => number;
}

/** Where the ramp is between two decisions. */
type Phase =
  | { readonly kind: "steady" }
  /** A range was just added; this window is not measured. */
  | { readonly kind: "settling"; readonly before: number }
  /** This window decides whether the range added stays; `before` in bytes per millisecond. */
  | { readonly kind: "trial"; readonly before: number };

/** A {@link RangeRamp} that decides once per `windowBytes` delivered to the client. */
export function createRangeRamp(options: RangeRampOptions): RangeRamp {
  let wanted = 1;
  let phase: Phase = { kind: "steady" };
  /** Windows to wait before trying another range, and how long the next failure waits. */
  let cooldown = 0;
  let backoff = RETRY_AFTER;
  const windowMs = options.windowMs ?? WINDOW_MS;
  /** When the window began: the first delivery (the first request's wait is no rate). */
  let windowStart: number | undefined;
  let bytes = 0;
  let waited = 0;

  const decide = (now: number, elapsed: number) => {
    const rate = bytes / elapsed;
    if (phase.kind === "settling") {
      phase = { kind: "trial", before: phase.before };
    } else if (phase.kind === "trial") {
      if (rate < phase.before * GAIN) {
        wanted--;
        cooldown = backoff;
        backoff = Math.min(backoff * 2, RETRY_AFTER_MAX);
      } else {
        backoff = RETRY_AFTER;
      }
      phase = { kind: "steady" };
    } else if (cooldown > 0) {
      cooldown--;
    } else if (waited / elapsed > OPEN_ABOVE && rate / wanted < FAST_RANGE && wanted < options.max) {
      wanted++;
      phase = { kind: "settling", before: rate };
    }
    windowStart = now;
    bytes = 0;
    waited = 0;
  };

  return {
    get wanted() {
      return wanted;
    },
    waited(waitedMs) {
      waited += waitedMs;
    },
    delivered(count) {
      const now = options.now();
      if (windowStart === undefined) {
        windowStart = now;
        waited = 0;
        return;
      }
      bytes += count;
      const elapsed = now - windowStart;
      if (bytes >= options.windowBytes && elapsed >= windowMs && options.max > 1) decide(now, elapsed);
    },
  };
}
