import { UnsupportedUrlError } from "./errors.ts";
import type { MetadataMemory } from "./metadata-memory.ts";
import type { Store, VideoSource } from "./ports.ts";
import type { VideoInfo, VideoRef } from "./video.ts";

export interface VideoServiceDeps {
  readonly sources: readonly VideoSource[];
  /** Where extracted metadata is cached (as JSON). */
  readonly store: Store;
  readonly cacheTtlMs: number;
  /** Told of every cache lookup (metrics). */
  readonly onCacheLookup?: (hit: boolean) => void;
  /** Parsed entries held in front of `store`, so hits skip JSON parsing (`metadata-memory.ts`). */
  readonly memory?: MetadataMemory;
}

/** Finds videos by URL and answers their metadata from the cache or one extraction. */
export interface VideoService {
  /** The reference behind a user's URL or id; `UnsupportedUrlError` when no source takes it. */
  parse(input: string): VideoRef;
  /**
   * Metadata of a video, from the cache when fresh. Concurrent calls for the same uncached video
   * share one extraction (single flight). `fresh` skips the cache (after an origin refused an
   * expired media URL). Throws what the source throws.
   */
  getInfo(ref: VideoRef, options?: { fresh?: boolean }): Promise<VideoInfo>;
  /** The source that serves a video's bytes; `UnsupportedUrlError` for an unknown source. */
  sourceOf(ref: VideoRef): VideoSource;
}

/** Bumped whenever the cached shape of `VideoInfo` changes, so old entries are not misread. */
const CACHE_VERSION = "v1";

export function createVideoService({
  sources,
  store,
  cacheTtlMs,
  onCacheLookup,
  memory,
}: VideoServiceDeps): VideoService {
  const inFlight = new Map<string, Promise<VideoInfo>>();

  const sourceOf = (ref: VideoRef): VideoSource => {
    const source = sources.find((s) => s.name === ref.source);
    if (source === undefined) throw new UnsupportedUrlError(`no source handles ${ref.source} videos`);
    return source;
  };

  const extract = async (ref: VideoRef, key: string): Promise<VideoInfo> => {
    const info = await sourceOf(ref).getInfo(ref);
    await store.set(key, JSON.stringify(info), cacheTtlMs);
    memory?.set(key, info);
    return info;
  };

  return {
    sourceOf,

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
      const key = `video:${CACHE_VERSION}:${ref.source}:${ref.id}`;
      if (!options.fresh) {
        const held = memory?.get(key);
        const cached = held === undefined ? await store.get(key) : undefined;
        onCacheLookup?.(held !== undefined || cached !== undefined);
        if (held !== undefined) return held;
        if (cached !== undefined) {
          // Written only by `extract` above, from a VideoInfo.
          const info = JSON.parse(cached) as VideoInfo;
          memory?.set(key, info);
          return info;
        }
      }
      const running = inFlight.get(key);
      if (running !== undefined) return running;
      const started = extract(ref, key).finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
  };
}
