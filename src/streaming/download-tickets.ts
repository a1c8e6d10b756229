import { LiveNotSupportedError } from "../core/errors.ts";
import { DEFAULT_DOWNLOAD_SELECTOR, type FormatSelector, selectFormat } from "../core/format-selection.ts";
import type { MediaFormat, VideoInfo } from "../core/video.ts";
import type { VideoService } from "../core/video-service.ts";
import type { Disposition } from "./content-disposition.ts";
import { buildFilename, extensionForMimeType } from "./filename.ts";
import type { TokenService } from "./token-service.ts";

/** What a client asks for when it prepares a download. */
export interface PrepareDownloadRequest {
  readonly url: string;
  /** Default: the best muxed mp4. */
  readonly format?: FormatSelector | undefined;
  readonly disposition: Disposition;
  /** Overrides the title as the file name (sanitised; the extension follows the container). */
  readonly filename?: string | undefined;
  /** Seconds; clamped to the configured maximum. */
  readonly expiresIn?: number | undefined;
  readonly maxUses?: number | undefined;
  /** The API key that asks, recorded in the token. */
  readonly apiKeyId?: string | undefined;
}

/** A redeemable download: the token, where to redeem it and what it will deliver. */
export interface DownloadTicket {
  readonly token: string;
  /** Absolute `/download/:token` URL. */
  readonly url: string;
  readonly expiresAt: Date;
  readonly filename: string;
  readonly mimeType: string;
  /** Exact size when known. */
  readonly contentLength: number | undefined;
  readonly format: MediaFormat;
  readonly video: VideoInfo;
}

export interface DownloadTicketsDeps {
  readonly videos: VideoService;
  readonly tokens: TokenService;
  /** Token lifetime when the client names none, and the most it may ask for, in seconds. */
  readonly ttlSeconds: number;
  readonly maxTtlSeconds: number;
}

/** The media type without parameters: `video/mp4; codecs="…"` → `video/mp4`. */
export function essenceOf(mimeType: string): string {
  return (mimeType.split(";")[0] ?? mimeType).trim().toLowerCase();
}

/**
 * `base` + `download/:token`. A base without a trailing slash (`PUBLIC_URL=https://host/dl`) is
 * still a directory: URL resolution alone would replace its last segment and drop `dl`.
 */
function downloadUrl(base: URL, token: string): string {
  const directory = base.pathname.endsWith("/") ? base : new URL(`${base.pathname}/`, base);
  return new URL(`download/${token}`, directory).href;
}

/** No selector: the best muxed mp4, or the only format of a video that has one (a direct URL). */
function defaultSelector(video: VideoInfo): FormatSelector {
  const [only, ...others] = video.formats;
  return only !== undefined && others.length === 0 ? { itag: only.itag } : DEFAULT_DOWNLOAD_SELECTOR;
}

/** Mints download tickets: resolves the video and one concrete format, then signs a token. */
export function createDownloadTickets(deps: DownloadTicketsDeps) {
  return {
    /**
     * Throws `UnsupportedUrlError`, the source's errors, `LiveNotSupportedError` and
     * `FormatNotFoundError`.
     * @param base where `download/:token` is resolved against (PUBLIC_URL or the request's origin).
     */
    async prepare(request: PrepareDownloadRequest, base: URL): Promise<DownloadTicket> {
      const ref = deps.videos.parse(request.url);
      const video = await deps.videos.getInfo(ref);
      if (video.isLive) throw new LiveNotSupportedError("a live stream cannot be downloaded");
      const format = selectFormat(video.formats, request.format ?? defaultSelector(video));
      if (format.isManifest) throw new LiveNotSupportedError("this format is a live manifest, not a file");
      const filename = buildFilename(request.filename ?? video.title, extensionForMimeType(format.mimeType));
      const ttl = Math.min(request.expiresIn ?? deps.ttlSeconds, deps.maxTtlSeconds);
      const signed = await deps.tokens.sign(
        {
          source: ref.source,
          videoId: ref.id,
          delivery: { kind: "file", itag: format.itag },
          disposition: request.disposition,
          filename,
          maxUses: request.maxUses,
          apiKeyId: request.apiKeyId,
        },
        ttl,
      );
      return {
        token: signed.token,
        url: downloadUrl(base, signed.token),
        expiresAt: signed.expiresAt,
        filename,
        mimeType: essenceOf(format.mimeType),
        contentLength: format.contentLength,
        format,
        video,
      };
    },
  };
}

export type DownloadTickets = ReturnType<typeof createDownloadTickets>;
