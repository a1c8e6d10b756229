import { StoreUnavailableError } from "../core/errors.ts";
import type { Clock, Store, WorkLock } from "../core/ports.ts";
import { createMemoryStore } from "./memory-store.ts";
import { createRedisLock } from "./redis-lock.ts";
import type { RedisStore } from "./redis-store.ts";

/**
 * The store as each of its uses sees it. When Redis does not answer, each use follows its own
 * rule, decided here once:
 * - `cache` (video metadata): this instance's memory instead; extraction goes on as usual;
 * - `rateLimits`: counted in this instance's memory, so the configured limit holds per instance;
 * - `tokenUses` (`maxUses` counts): no fallback, fails closed with `STORE_UNAVAILABLE` (503):
 *   counting alone would let every instance hand out the allowed copies again;
 * - `lock` (one extraction across instances): callers extract by themselves.
 * Without Redis, every use is the memory store and there is no lock (one instance).
 */
export interface StoresByUse {
  readonly cache: Store;
  readonly rateLimits: Store;
  readonly tokenUses: Store;
  readonly lock: WorkLock | undefined;
  /** `up`/`down` for Redis; undefined when none is configured. */
  redisHealth(): "up" | "down" | undefined;
  /** Asks Redis (if any) whether it answers, through its circuit breaker; never throws. */
  check(): Promise<void>;
  /** Closes the Redis connection (shutdown). */
  close(): void;
}

/** A store that turns to `fallback` for each operation `primary` cannot do for want of an answer. */
export function withMemoryFallback(primary: Store, fallback: Store): Store {
  const either =
    <A extends unknown[], R>(op: (store: Store, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await op(primary, ...args);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        return op(fallback, ...args);
      }
    };
  return {
    get: either((s, key: string) => s.get(key)),
    set: either((s, key: string, value: string, ttlMs: number) => s.set(key, value, ttlMs)),
    increment: either((s, key: string, ttlMs: number, by?: number) => s.increment(key, ttlMs, by)),
    delete: either((s, key: string) => s.delete(key)),
    ping: () => primary.ping(),
  };
}

/** Builds the {@link StoresByUse} over `redis` when there is one, else over memory alone. */
export function createStoresByUse(deps: {
  readonly redis: RedisStore | undefined;
  readonly maxEntries: number;
  readonly clock: Clock;
  readonly randomId: () => string;
}): StoresByUse {
  const memory = () => createMemoryStore({ maxEntries: deps.maxEntries, clock: deps.clock });
  const { redis } = deps;
  if (redis === undefined) {
    const local = memory();
    return {
      cache: local,
      rateLimits: local,
      tokenUses: local,
      lock: undefined,
      redisHealth: () => undefined,
      check: async () => {},
      close: () => {},
    };
  }
  return {
    cache: withMemoryFallback(redis, memory()),
    rateLimits: withMemoryFallback(redis, memory()),
    tokenUses: redis,
    lock: createRedisLock(redis, deps.randomId),
    redisHealth: () => (redis.up() ? "up" : "down"),
    check: () => redis.ping().catch(() => undefined), // the outcome is read from redisHealth()
    close: () => redis.close(),
  };
}
