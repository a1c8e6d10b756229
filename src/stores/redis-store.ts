import { RedisClient } from "bun";
import type { Store } from "../core/ports.ts";
import { createCircuitBreaker } from "./circuit-breaker.ts";

// INCRBY, and a TTL only on the increment that created the key: one atomic step, so a window
// can neither lose its expiry nor have it pushed back by later increments.
const INCREMENT = `local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n`;

export interface RedisStoreOptions {
  /** Put before every key, so several deployments (or tests) can share one Redis. @default "downtube:" */
  readonly prefix?: string;
  /** Longest one command may take before Redis counts as down, in milliseconds. @default 500 */
  readonly commandTimeoutMs?: number;
  /** How often a down Redis is asked again, in milliseconds. @default 1000 */
  readonly probeIntervalMs?: number;
  /** Told when Redis stops or starts answering again. */
  readonly onHealthChange?: (up: boolean) => void;
}

/** The Redis `Store`, plus what only Redis offers: raw commands for the lock, health and closing. */
export interface RedisStore extends Store {
  readonly prefix: string;
  /** Runs one command through the circuit breaker; throws `StoreUnavailableError` while down. */
  command(name: string, args: string[]): Promise<unknown>;
  /** Whether Redis is believed to answer (the circuit breaker is closed). */
  up(): boolean;
  /** Closes the connection and stops probing. */
  close(): void;
}

const ttlArg = (ttlMs: number) => String(Math.max(1, Math.ceil(ttlMs)));

/**
 * The `Store` on Redis (Bun's built-in client), for several instances that must agree on the
 * metadata cache, token uses and rate limits. Every command goes through a circuit breaker: one
 * that fails or takes longer than `commandTimeoutMs` marks Redis down, and from then on commands
 * fail at once with `StoreUnavailableError` (503) until a periodic probe gets an answer again.
 * Each caller decides what a failure means for its own use (see `store-uses.ts`).
 */
export function createRedisStore(url: string, options: RedisStoreOptions = {}): RedisStore {
  // No offline queue and no automatic reconnect: the breaker decides when to try again, and a
  // connection stuck on a Redis that never answers is dropped (rejecting what waits on it).
  const connect = () =>
    new RedisClient(url, {
      enableOfflineQueue: false,
      autoReconnect: false,
      connectionTimeout: options.commandTimeoutMs ?? 500,
    });
  let client = connect();
  const withClient = async <T>(work: (c: RedisClient) => Promise<T>): Promise<T> => {
    const current = client;
    if (!current.connected) await current.connect();
    return work(current);
  };
  const breaker = createCircuitBreaker({
    timeoutMs: options.commandTimeoutMs ?? 500,
    probeIntervalMs: options.probeIntervalMs ?? 1000,
    probe: () => withClient(async (c) => void (await c.ping())),
    onOpen: () => {
      client.close();
      client = connect();
    },
    onChange: options.onHealthChange,
  });
  const prefix = options.prefix ?? "downtube:";
  const command = (name: string, args: string[]) => breaker.run(() => withClient((c) => c.send(name, args)));

  return {
    prefix,
    command,
    get: async (key) => ((await command("GET", [prefix + key])) as string | null) ?? undefined,
    set: async (key, value, ttlMs) => {
      await command("SET", [prefix + key, value, "PX", ttlArg(ttlMs)]);
    },
    increment: async (key, ttlMs, by = 1) =>
      Number(await command("EVAL", [INCREMENT, "1", prefix + key, String(by), ttlArg(ttlMs)])),
    delete: async (key) => {
      await command("DEL", [prefix + key]);
    },
    ping: async () => {
      await command("PING", []);
    },
    up: breaker.up,
    close() {
      breaker.close();
      client.close();
    },
  };
}
