import { RateLimitedError } from "../core/errors.ts";
import type { Clock, Store } from "../core/ports.ts";

/** What is rate-limited, each with its own allowance per window. */
export type RateBucket = "metadata" | "prepare" | "download";

export interface RateLimiterOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly windowMs: number;
  /** Allowance per client and window, by bucket. */
  readonly limits: Readonly<Record<RateBucket, number>>;
}

/**
 * Fixed-window rate limits per client, counted in the `Store` so instances sharing one (Redis)
 * share the count. Over the allowance: `RateLimitedError` (429) with `Retry-After` and the
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` fields.
 */
export function createRateLimiter({ store, clock, windowMs, limits }: RateLimiterOptions) {
  return {
    /** Spends `cost` of `client`'s allowance in `bucket`; throws when that is more than is left. */
    async take(bucket: RateBucket, client: string, cost = 1): Promise<void> {
      const now = clock();
      const window = Math.floor(now / windowMs);
      const used = await store.increment(`rate:${bucket}:${client}:${window}`, windowMs, cost);
      const limit = limits[bucket];
      if (used <= limit) return;
      const resetSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
      throw new RateLimitedError(`too many ${bucket} requests; try again in ${resetSeconds} s`, {
        "Retry-After": String(resetSeconds),
        "RateLimit-Limit": String(limit),
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": String(resetSeconds),
      });
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
