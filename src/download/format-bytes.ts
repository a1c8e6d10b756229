import {
  FormatNotFoundError,
  LiveNotSupportedError,
  MediaUrlExpiredError,
  UpstreamError,
} from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { MediaLocation } from "../core/media-location.ts";
import type { ByteRange, OpenedMedia } from "../core/ports.ts";
import type { MediaFormat, VideoRef } from "../core/video.ts";
import type { VideoService } from "../core/video-service.ts";

/**
 * Bytes of one format, as the origin serves them: how to open any range of them. Opening
 * re-extracts the video once when the origin refuses an expired media URL (the refresh), so
 * whoever reads (a file download, an ffmpeg job, an offload) gets the same refresh.
 */
export interface FormatBytes {
  readonly ref: VideoRef;
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

export interface FormatBytesDeps {
  readonly videos: VideoService;
  readonly log: Logger;
}

/**
 * The {@link FormatBytes} of format `itag` of a video, resolved through the metadata cache.
 * `refresh`: the origin (or nginx on the gateway's behalf) was just refused this format's media
 * URL, so the video is extracted again rather than read from the cache.
 * Throws the source's errors, `FormatNotFoundError` when the video no longer offers the format,
 * and `LiveNotSupportedError` for a manifest.
 */
export async function formatBytesOf(
  deps: FormatBytesDeps,
  ref: VideoRef,
  itag: number,
  refresh: boolean,
): Promise<FormatBytes> {
  const formatOf = async (again: boolean): Promise<MediaFormat> => {
    const info = await deps.videos.getInfo(ref, { fresh: again });
    const format = info.formats.find((f) => f.itag === itag);
    if (format === undefined)
      throw new FormatNotFoundError("this video no longer offers the format of the token");
    if (format.isManifest) throw new LiveNotSupportedError("this format is a live manifest, not a file");
    return format;
  };
  const source = deps.videos.sourceOf(ref);
  const format = await formatOf(refresh);
  /**
   * Runs `use` on the format, and once more on a freshly extracted one if the origin refused its
   * URL; `refreshed` tells `use` whether its format comes from a new extraction (nothing learned
   * about the old one may be trusted then).
   */
  const withRefresh = <T>(use: (format: MediaFormat, refreshed: boolean) => Promise<T>): Promise<T> =>
    use(format, refresh).catch(async (error: unknown) => {
      if (!(error instanceof MediaUrlExpiredError)) throw error;
      deps.log.info("media URL refused by the origin; extracting again", { video: ref.id, itag });
      return use(await formatOf(true), true);
    });
  return {
    ref,
    format,
    size: (signal) => source.sizeOf(format, signal),
    open: (range, signal) => withRefresh((f) => source.open(ref, f, range, signal)),
    locate: async (signal) => {
      const { locate } = source;
      if (locate === undefined) return undefined;
      return withRefresh((f, refreshed) => locate.call(source, ref, f, signal, { refresh: refreshed }));
    },
  };
}

/**
 * Opens all of a format (an ffmpeg job's input); resolves once the origin has answered.
 * Throws `UpstreamError` for a format the origin declares empty, and what `open` throws.
 */
export async function openWhole(
  bytes: FormatBytes,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const size = await bytes.size(signal);
  if (size === 0) throw new UpstreamError(`the origin declares format ${bytes.format.itag} empty`);
  return (await bytes.open({ start: 0, end: size - 1 }, signal)).body;
}
