import { UnsupportedUrlError } from "./errors.ts";
import type { MetadataMemory } from "./metadata-memory.ts";
import type { Store, VideoSource } from "./ports.ts";
import type { SharedExtraction } from "./shared-extraction.ts";
import type { VideoInfo, VideoRef } from "./video.ts";

export interface VideoServiceDeps {
  readonly sources: readonly VideoSource[];
  /** Where extracted metadata is cached (as JSON). */
  readonly store: Store;
  readonly cacheTtlMs: number;
  /**
   * The address (or name of it) this instance's origin requests leave from. Media URLs are bound
   * to the address that extracted them, so they are cached per egress; the rest is shared.
   */
  readonly egressId: string;
  /** Runs one extraction of a cold video across all instances. */
  readonly shared: SharedExtraction;
  /** Told of every cache lookup (metrics). */
  readonly onCacheLookup?: (hit: boolean) => void;
  /** Parsed entries held in front of `store`, so hits skip JSON parsing (`metadata-memory.ts`). */
  readonly memory?: MetadataMemory;
}

/** What a caller needs of a video's metadata. */
export interface InfoOptions {
  /** Skip the cache (after an origin refused an expired media URL). */
  readonly fresh?: boolean;
  /**
   * The caller reads metadata only, not media URLs: an entry extracted through another egress
   * will do. Otherwise the media URLs are this egress's own.
   */
  readonly metadataOnly?: boolean;
}

/** Finds videos by URL and answers their metadata from the cache or one extraction. */
export interface VideoService {
  /** The reference behind a user's URL or id; `UnsupportedUrlError` when no source takes it. */
  parse(input: string): VideoRef;
  /**
   * Metadata of a video, from the cache when fresh. Concurrent calls for the same uncached video
   * share one extraction: within the instance (single flight) and across instances that share a
   * store (a lock; see `SharedExtraction`). Throws what the source throws.
   */
  getInfo(ref: VideoRef, options?: InfoOptions): Promise<VideoInfo>;
  /** The source that serves a video's bytes; `UnsupportedUrlError` for an unknown source. */
  sourceOf(ref: VideoRef): VideoSource;
  /**
   * Until when (clock milliseconds) `info`, as `getInfo` returned it, is answered from this
   * instance's memory without asking the store again; undefined when that is not known (no memory
   * tier). What is cached from it must not outlive it, or it would be staler than the metadata.
   */
  heldUntil(info: VideoInfo): number | undefined;
}

/** The egress of instances that name none: they all leave through the same address. */
export const DEFAULT_EGRESS_ID = "default";

/** Bumped whenever the cached shape of `VideoInfo` changes, so old entries are not misread. */
const CACHE_VERSION = "v2";

export function createVideoService({
  sources,
  store,
  cacheTtlMs,
  egressId,
  shared,
  onCacheLookup,
  memory,
}: VideoServiceDeps): VideoService {
  const inFlight = new Map<string, Promise<VideoInfo>>();

  const sourceOf = (ref: VideoRef): VideoSource => {
    const source = sources.find((s) => s.name === ref.source);
    if (source === undefined) throw new UnsupportedUrlError(`no source handles ${ref.source} videos`);
    return source;
  };

  // Parsed entries are held in memory for a short while, so a hit skips the store and the parse.
  const read = async (key: string): Promise<VideoInfo | undefined> => {
    const held = memory?.get(key);
    if (held !== undefined) return held;
    const cached = await store.get(key);
    if (cached === undefined) return undefined;
    // Written only by `extract` below, from a VideoInfo.
    const info = JSON.parse(cached) as VideoInfo;
    memory?.set(key, info);
    return info;
  };

  const extract = async (ref: VideoRef, keys: { own: string; any: string }): Promise<VideoInfo> => {
    const info = await sourceOf(ref).getInfo(ref);
    const json = JSON.stringify(info);
    // The egress's own entry keeps the URLs it can use; the shared one serves metadata to all.
    const writes = keys.own === keys.any ? [keys.own] : [keys.own, keys.any];
    await Promise.all(writes.map((key) => store.set(key, json, cacheTtlMs)));
    for (const key of writes) memory?.set(key, info);
    return info;
  };

  return {
    sourceOf,
    heldUntil: (info) => memory?.heldUntil(info),

    parse(input) {
      for (const source of sources) {
        const ref = source.parse(input);
        if (ref !== undefined) return ref;
      }
      throw new UnsupportedUrlError(
        "not a supported video URL: paste a YouTube watch, youtu.be, shorts, embed, live or music URL, or an 11-character video id",
      );
    },

    async getInfo(ref, options = {}) {
      const base = `video:${CACHE_VERSION}:${ref.source}:${ref.id}`;
      // The default egress (one address for all) keeps one entry per video, as a lone instance does.
      const keys = { own: egressId === DEFAULT_EGRESS_ID ? base : `${base}:egress:${egressId}`, any: base };
      if (!options.fresh) {
        const cached = (await read(keys.own)) ?? (options.metadataOnly ? await read(keys.any) : undefined);
        onCacheLookup?.(cached !== undefined);
        if (cached !== undefined) return cached;
      }
      const running = inFlight.get(keys.own);
      if (running !== undefined) return running;
      const work = () => extract(ref, keys);
      const started = (
        options.fresh ? work() : shared.once(`extract:${keys.own}`, () => read(keys.own), work)
      ).finally(() => inFlight.delete(keys.own));
      inFlight.set(keys.own, started);
      return started;
    },
  };
}
