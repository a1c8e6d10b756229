import { createHash } from "node:crypto";
import { FormatNotFoundError, LiveNotSupportedError, MediaUrlExpiredError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { MediaLocation } from "../core/media-location.ts";
import type { MergeContainer } from "../core/merge-selection.ts";
import type { ByteRange, OpenedMedia } from "../core/ports.ts";
import type { MediaFormat, VideoRef } from "../core/video.ts";
import type { VideoService } from "../core/video-service.ts";
import type { VerifiedClaims } from "../tokens/download-claims.ts";
import { essenceOf } from "./filename.ts";

/**
 * Bytes of one format, as the origin serves them: how to open any range of them. Opening
 * re-extracts the video once when the origin refuses an expired media URL, so whoever reads
 * (the file responder, a merge, an offload) gets the same refresh.
 */
export interface FormatBytes {
  readonly format: MediaFormat;
  /** Exact size in bytes: the format's declared length, or asked of the origin. Throws like `open`. */
  size(signal: AbortSignal): Promise<number>;
  /** Resolves once the origin has answered; throws like `VideoSource.open`. */
  open(range: ByteRange, signal: AbortSignal): Promise<OpenedMedia>;
  /**
   * Where a proxy may fetch the bytes itself (offload), or undefined when only the gateway
   * serves them; throws like `VideoSource.locate`.
   */
  locate(signal: AbortSignal): Promise<MediaLocation | undefined>;
}

/**
 * A download of fixed bytes of a known size: one format of one video. Range, ETag, HEAD and an
 * exact Content-Length apply.
 */
export interface FilePlan {
  readonly kind: "file";
  readonly ref: VideoRef;
  readonly bytes: FormatBytes;
  /** Exact size in bytes. */
  readonly size: number;
  /** Strong validator of the bytes (a changing origin's revision is part of it). */
  readonly etag: string;
  /** False: the origin sends only the whole file, so no 206 may be promised. */
  readonly acceptsRanges: boolean;
  /** The media type without parameters. */
  readonly contentType: string;
}

/**
 * A download made while it is sent: a video-only and an audio-only format remuxed into one
 * container. No size is known in advance, so there is no Range, no ETag and no Content-Length.
 */
export interface MergePlan {
  readonly kind: "stream";
  readonly ref: VideoRef;
  readonly video: FormatBytes;
  readonly audio: FormatBytes;
  readonly container: MergeContainer;
  /** `video/mp4` or `video/webm`. */
  readonly contentType: string;
}

/** What redeeming a token comes to; each kind has one responder. */
export type DownloadPlan = FilePlan | MergePlan;

/**
 * The ETag of one format of one video. A YouTube id is written as it is; a longer id (a direct
 * URL) and a revision are hashed, so the header neither grows with the URL nor repeats the origin.
 */
function entityTag(ref: VideoRef, format: MediaFormat, size: number): string {
  const plain = /^[\w-]{1,64}$/.test(ref.id) && format.revision === undefined;
  const id = plain
    ? ref.id
    : createHash("sha256")
        .update(`${ref.id}\n${format.revision ?? ""}`)
        .digest("base64url")
        .slice(0, 22);
  return `"${ref.source}-${id}-${format.itag}-${size}"`;
}

export interface DownloadPlannerDeps {
  readonly videos: VideoService;
  readonly log: Logger;
}

/** Turns verified claims into a {@link DownloadPlan}, resolving formats through the metadata cache. */
export interface DownloadPlanner {
  /**
   * Throws the source's errors, `FormatNotFoundError` when the video no longer offers a format
   * the token names, and `LiveNotSupportedError` for a manifest.
   */
  plan(claims: VerifiedClaims, signal: AbortSignal, options?: PlanOptions): Promise<DownloadPlan>;
}

export interface PlanOptions {
  /**
   * Extract the video again rather than trust the cached metadata: the proxy that fetched the
   * bytes was refused the media URL (see `routes/download.ts`).
   */
  readonly fresh?: boolean;
}

export function createDownloadPlanner(deps: DownloadPlannerDeps): DownloadPlanner {
  const formatOf = async (ref: VideoRef, itag: number, fresh: boolean): Promise<MediaFormat> => {
    const info = await deps.videos.getInfo(ref, { fresh });
    const format = info.formats.find((f) => f.itag === itag);
    if (format === undefined)
      throw new FormatNotFoundError("this video no longer offers the format of the token");
    if (format.isManifest) throw new LiveNotSupportedError("this format is a live manifest, not a file");
    return format;
  };

  const bytesOf = async (ref: VideoRef, itag: number, fresh: boolean): Promise<FormatBytes> => {
    const source = deps.videos.sourceOf(ref);
    const format = await formatOf(ref, itag, fresh);
    /**
     * Runs `use` on the format, and once more on a freshly extracted one if the origin refused its
     * URL; `fresh` tells `use` whether its format comes from a fresh extraction (nothing learned
     * about the old one may be trusted then).
     */
    const withRefresh = <T>(use: (format: MediaFormat, fresh: boolean) => Promise<T>): Promise<T> =>
      use(format, fresh).catch(async (error: unknown) => {
        if (!(error instanceof MediaUrlExpiredError)) throw error;
        deps.log.info("media URL refused by the origin; extracting again", { video: ref.id, itag });
        return use(await formatOf(ref, itag, true), true);
      });
    return {
      format,
      size: (signal) => source.sizeOf(format, signal),
      open: (range, signal) => withRefresh((f) => source.open(ref, f, range, signal)),
      locate: async (signal) => {
        const { locate } = source;
        if (locate === undefined) return undefined;
        return withRefresh((f, again) => locate.call(source, ref, f, signal, { fresh: again }));
      },
    };
  };

  return {
    async plan(claims, signal, options = {}) {
      const ref: VideoRef = { source: claims.source, id: claims.videoId };
      const { delivery } = claims;
      switch (delivery.kind) {
        case "file": {
          const bytes = await bytesOf(ref, delivery.itag, options.fresh ?? false);
          const size = await bytes.size(signal);
          return {
            kind: "file",
            ref,
            bytes,
            size,
            etag: entityTag(ref, bytes.format, size),
            acceptsRanges: bytes.format.acceptsRanges !== false,
            contentType: essenceOf(bytes.format.mimeType),
          };
        }
        case "merge": {
          const [video, audio] = await Promise.all([
            bytesOf(ref, delivery.video, options.fresh ?? false),
            bytesOf(ref, delivery.audio, options.fresh ?? false),
          ]);
          const { container } = delivery;
          return { kind: "stream", ref, video, audio, container, contentType: `video/${container}` };
        }
      }
    },
  };
}
