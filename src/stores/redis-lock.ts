import type { WorkLock } from "../core/ports.ts";
import type { RedisStore } from "./redis-store.ts";

// Deletes the lock only while it still carries the caller's fencing value: a holder whose lock
// expired (and was taken by another) must not release the new holder's lock.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The {@link WorkLock} on Redis: `SET key fence NX PX ttl` to take it, a compare-and-delete on
 * the fencing value to give it back. `randomId` makes the fencing values.
 */
export function createRedisLock(redis: RedisStore, randomId: () => string): WorkLock {
  const keyOf = (key: string) => `${redis.prefix}lock:${key}`;
  return {
    async tryAcquire(key, ttlMs) {
      const fence = randomId();
      const taken = await redis.command("SET", [keyOf(key), fence, "NX", "PX", String(Math.ceil(ttlMs))]);
      if (taken === null || taken === undefined) return undefined;
      return {
        fence,
        release: async () => {
          // A lock that cannot be released expires on its own: nothing more to do here.
          await redis.command("EVAL", [RELEASE, "1", keyOf(key), fence]).catch(() => undefined);
        },
      };
    },
    async isHeld(key) {
      return Number(await redis.command("EXISTS", [keyOf(key)])) > 0;
    },
  };
}
