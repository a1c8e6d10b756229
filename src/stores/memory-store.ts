import type { Clock, Store } from "../core/ports.ts";

interface Entry {
  value: string;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  /** Entries kept at most; the least recently used one goes first. */
  readonly maxEntries: number;
  readonly clock: Clock;
}

/**
 * The embedded `Store`: an LRU map with per-entry expiry, for a single instance. Expired entries
 * are dropped when read and when the map is full. Several instances need `RedisStore` instead.
 */
export function createMemoryStore({ maxEntries, clock }: MemoryStoreOptions): Store {
  // A Map iterates in insertion order: re-inserting on every read keeps the oldest use first.
  const entries = new Map<string, Entry>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    entries.delete(key);
    if (entry.expiresAt <= clock()) return undefined;
    entries.set(key, entry);
    return entry;
  };

  const put = (key: string, entry: Entry): void => {
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size <= maxEntries) return;
    const now = clock();
    for (const [k, e] of entries) {
      if (e.expiresAt <= now) entries.delete(k);
    }
    for (const k of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(k);
    }
  };

  return {
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlMs) {
      put(key, { value, expiresAt: clock() + ttlMs });
    },
    async increment(key, ttlMs, by = 1) {
      const entry = live(key);
      if (entry === undefined) {
        put(key, { value: String(by), expiresAt: clock() + ttlMs });
        return by;
      }
      // `live` has made it the newest already: counted in place, as every rate-limited request
      // does, without moving it in the map again.
      const next = Number(entry.value) + by;
      entry.value = String(next);
      return next;
    },
    async delete(key) {
      entries.delete(key);
    },
    async ping() {},
  };
}
