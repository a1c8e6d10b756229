import { setNewest } from "./bounded-map.ts";
import type { Clock } from "./ports.ts";

export interface ExpiringMapOptions {
  readonly clock: Clock;
  /** How long an entry is kept after it was set, in milliseconds. */
  readonly ttlMs: number;
  /** Most entries held; the oldest set is forgotten first. */
  readonly maxEntries: number;
}

/**
 * A small in-process memo whose entries expire: what a source learned about an origin lately
 * (where a media URL leads), so the next request skips a round trip. Per instance, never shared.
 */
export interface ExpiringMap<V> {
  /** The value set for `key` within the TTL, or undefined. */
  get(key: string): V | undefined;
  /** Sets `key` as the newest entry, for the next `ttlMs`. */
  set(key: string, value: V): void;
  /** Forgets `key` at once. */
  delete(key: string): void;
}

/** An {@link ExpiringMap} on a Map kept in insertion order, so the oldest goes first. */
export function createExpiringMap<V>(options: ExpiringMapOptions): ExpiringMap<V> {
  const entries = new Map<string, { value: V; until: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.until > options.clock()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key, value) {
      setNewest(entries, key, { value, until: options.clock() + options.ttlMs }, options.maxEntries);
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
