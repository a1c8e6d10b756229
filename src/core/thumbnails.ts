import { UpstreamError } from "./errors.ts";
import type { Store } from "./ports.ts";
import type { Thumbnail, VideoRef } from "./video.ts";
import type { VideoService } from "./video-service.ts";

/** One thumbnail's bytes, checked to be an image of a type browsers show. */
export interface ThumbnailImage {
  /** `image/jpeg`, `image/png`, `image/webp`, `image/gif` or `image/avif`: read from the bytes. */
  readonly type: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** The image types a thumbnail may have, by their first bytes. SVG is not one: it can hold script. */
const SIGNATURES: readonly { type: string; matches: (b: Uint8Array) => boolean }[] = [
  { type: "image/jpeg", matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: "image/png", matches: (b) => ascii(b, 1, 4) === "PNG" && b[0] === 0x89 },
  { type: "image/webp", matches: (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP" },
  { type: "image/gif", matches: (b) => ascii(b, 0, 4) === "GIF8" },
  { type: "image/avif", matches: (b) => ascii(b, 4, 8) === "ftyp" && /^avi[fs]$/.test(ascii(b, 8, 12)) },
];

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/**
 * The image type of `bytes` by their signature, or undefined when they are none of the types a
 * thumbnail may have (HTML, SVG, anything else): the gateway never trusts a declared type alone.
 */
export function imageTypeOf(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find((s) => s.matches(bytes))?.type;
}

/**
 * The thumbnail a page shows: the smallest at least `minWidth` pixels wide (sharp enough, not
 * needlessly large), else the widest there is; undefined for a video without thumbnails.
 */
export function pickThumbnail(thumbnails: readonly Thumbnail[], minWidth = 480): Thumbnail | undefined {
  const wide = thumbnails.filter((t) => t.width >= minWidth).sort((a, b) => a.width - b.width);
  return wide[0] ?? [...thumbnails].sort((a, b) => b.width - a.width)[0];
}

export interface ThumbnailsDeps {
  /** Finds the video and its source, which fetches the image its own way (`VideoSource.thumbnail`). */
  readonly videos: Pick<VideoService, "getInfo" | "sourceOf">;
  /** Where fetched thumbnails are kept (base64 in JSON), so each is fetched once per `ttlMs`. */
  readonly store: Store;
  readonly ttlMs: number;
}

/** Thumbnails of the videos the gateway knows, fetched from where their source declared them. */
export interface Thumbnails {
  /**
   * The thumbnail of a video (see `pickThumbnail`), from the cache or fetched once. Undefined
   * when the video has none, or its source serves none. `beforeFetch` runs before anything is
   * asked of the origin (a rate limit); what it throws is thrown. Throws what the video's
   * metadata lookup throws (`VideoNotFoundError`…) and what the fetcher throws.
   */
  get(
    ref: VideoRef,
    signal: AbortSignal,
    beforeFetch?: () => Promise<void>,
  ): Promise<ThumbnailImage | undefined>;
}

/** Bumped when the cached shape changes. */
const CACHE_KEY = "thumbnail:v1";

export function createThumbnails(deps: ThumbnailsDeps): Thumbnails {
  const cached = async (key: string): Promise<ThumbnailImage | undefined> => {
    const text = await deps.store.get(key);
    if (text === undefined) return undefined;
    const { type, data } = JSON.parse(text) as { type: string; data: string };
    return { type, bytes: Uint8Array.fromBase64(data) };
  };

  return {
    async get(ref, signal, beforeFetch) {
      const source = deps.videos.sourceOf(ref);
      if (source.thumbnail === undefined) return undefined;
      const key = `${CACHE_KEY}:${ref.source}:${ref.id}`;
      const hit = await cached(key);
      if (hit !== undefined) return hit;
      await beforeFetch?.();
      const info = await deps.videos.getInfo(ref, { metadataOnly: true });
      const chosen = pickThumbnail(info.thumbnails);
      if (chosen === undefined) return undefined;
      const fetched = await source.thumbnail(ref, chosen, signal);
      const type = imageTypeOf(fetched.bytes);
      if (type === undefined) throw new UpstreamError("the video's thumbnail is not an image");
      const image: ThumbnailImage = { type, bytes: new Uint8Array(fetched.bytes) };
      const data = image.bytes.toBase64();
      await deps.store.set(key, JSON.stringify({ type: image.type, data }), deps.ttlMs);
      return image;
    },
  };
}
