import { RedisClient } from "bun";
import { StoreUnavailableError } from "../core/errors.ts";
import type { Store } from "../core/ports.ts";

// INCRBY, and a TTL only on the increment that created the key: one atomic step, so a window
// can neither lose its expiry nor have it pushed back by later increments.
const INCREMENT = `local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n`;

/**
 * The `Store` on Redis (Bun's built-in client), for several instances that must agree on the
 * metadata cache, token uses and rate limits. Commands fail fast while Redis is unreachable
 * (no offline queue): a request then answers `STORE_UNAVAILABLE` (503) instead of hanging.
 */
export function createRedisStore(
  url: string,
  options: { prefix?: string } = {},
): Store & { readonly prefix: string; close(): void } {
  // Reconnecting is done per command (below), so while Redis is down each request fails at once.
  const client = new RedisClient(url, {
    enableOfflineQueue: false,
    connectionTimeout: 2000,
    autoReconnect: false,
  });
  const prefix = options.prefix ?? "downtube:";
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      // Without an offline queue a command fails while the connection is down; (re)connect first.
      if (!client.connected) await client.connect();
      return await work();
    } catch (error) {
      throw new StoreUnavailableError("the shared store (Redis) does not answer", { cause: error });
    }
  };
  return {
    get: (key) => guarded(async () => (await client.get(prefix + key)) ?? undefined),
    set: (key, value, ttlMs) =>
      guarded(async () => {
        await client.set(prefix + key, value, "PX", Math.max(1, Math.ceil(ttlMs)));
      }),
    increment: (key, ttlMs, by = 1) =>
      guarded(async () =>
        Number(
          await client.send("EVAL", [
            INCREMENT,
            "1",
            prefix + key,
            String(by),
            String(Math.max(1, Math.ceil(ttlMs))),
          ]),
        ),
      ),
    delete: (key) =>
      guarded(async () => {
        await client.del(prefix + key);
      }),
    ping: () =>
      guarded(async () => {
        await client.ping();
      }),
    prefix,
    close: () => client.close(),
  };
}
