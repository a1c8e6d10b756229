import { setNewest } from "./bounded-map.ts";
import type { Clock } from "./ports.ts";
import type { VideoInfo } from "./video.ts";

export interface MetadataMemoryOptions {
  readonly clock: Clock;
  /** How long a parsed entry is answered without asking the store again, in milliseconds. */
  readonly ttlMs: number;
  /** Most videos held; the least recently used goes first. */
  readonly maxEntries: number;
}

/**
 * A small in-process tier in front of the metadata cache (the `Store`): parsed `VideoInfo`
 * objects, so a cached `video` query or a download does not parse the same JSON again on every
 * request. Entries are shared between requests and never mutated (`VideoInfo` is read-only).
 * Its TTL is short, so a video extracted again by another instance (with Redis) is seen soon.
 */
export interface MetadataMemory {
  get(key: string): VideoInfo | undefined;
  set(key: string, info: VideoInfo): void;
}

/** A {@link MetadataMemory} on a Map kept in recency order. */
export function createMetadataMemory(options: MetadataMemoryOptions): MetadataMemory {
  const entries = new Map<string, { info: VideoInfo; until: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      if (entry.until <= options.clock()) return undefined;
      entries.set(key, entry); // most recently used last
      return entry.info;
    },
    set(key, info) {
      setNewest(entries, key, { info, until: options.clock() + options.ttlMs }, options.maxEntries);
    },
  };
}
