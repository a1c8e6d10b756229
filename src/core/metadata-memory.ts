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
  /**
   * Until when (clock milliseconds) `info`, an object this memory handed out or was given, is
   * answered without asking the store again: what is built from it (a cached GraphQL answer) is
   * no staler than the memory itself while it lives no longer. Undefined for an object it never held.
   */
  heldUntil(info: VideoInfo): number | undefined;
}

/** A {@link MetadataMemory} on a Map kept in recency order. */
export function createMetadataMemory(options: MetadataMemoryOptions): MetadataMemory {
  const entries = new Map<string, { info: VideoInfo; until: number }>();
  // Keyed by the object: outlives an entry evicted early, which changes nothing of its age.
  const until = new WeakMap<VideoInfo, number>();
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
      const expires = options.clock() + options.ttlMs;
      until.set(info, expires);
      setNewest(entries, key, { info, until: expires }, options.maxEntries);
    },
    heldUntil: (info) => until.get(info),
  };
}
