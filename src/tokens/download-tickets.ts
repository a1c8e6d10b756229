import { LiveNotSupportedError, MergeUnavailableError } from "../core/errors.ts";
import type { TimeRange } from "../core/ffmpeg-job.ts";
import {
  DEFAULT_DOWNLOAD_SELECTOR,
  type FormatSelector,
  selectFormat,
  selectMerge,
} from "../core/format-selection.ts";
import type { MediaFormat, VideoInfo } from "../core/video.ts";
import type { VideoService } from "../core/video-service.ts";
import type { Disposition } from "../download/content-disposition.ts";
import { buildFilename, essenceOf, extensionForMimeType } from "../download/filename.ts";
import { clipChoice } from "./clip-choice.ts";
import { checkClip, clipLabel } from "./clip-request.ts";
import type { Delivery } from "./download-claims.ts";
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
  /** Only this time range of the video (`ClipInput`). */
  readonly clip?: TimeRange | undefined;
}

/** A redeemable download: the token, where to redeem it and what it will deliver. */
export interface DownloadTicket {
  readonly token: string;
  /** Absolute `/download/:token` URL. */
  readonly url: string;
  readonly expiresAt: Date;
  readonly filename: string;
  readonly mimeType: string;
  /** Exact size when known; never for a merge, whose size is only known once it is made. */
  readonly contentLength: number | undefined;
  /** A file: its size when known. A merge: the sizes of its two inputs together, when both are known. */
  readonly estimatedContentLength: number | undefined;
  /** The format delivered; for a merge, its video side. */
  readonly format: MediaFormat;
  /** The audio side of a merge; undefined for a file. */
  readonly audioFormat: MediaFormat | undefined;
  /** The time range asked for, when the download is a clip. */
  readonly clip: TimeRange | undefined;
  readonly video: VideoInfo;
}

export interface DownloadTicketsDeps {
  readonly videos: VideoService;
  readonly tokens: TokenService;
  /** Token lifetime when the client names none, and the most it may ask for, in seconds. */
  readonly ttlSeconds: number;
  readonly maxTtlSeconds: number;
  /** Whether this instance can merge (ffmpeg was found); asked only for `MERGED`. */
  readonly canMerge: () => Promise<boolean>;
}

/** What a ticket delivers, before it is signed. */
interface Choice {
  readonly delivery: Delivery;
  readonly mimeType: string;
  readonly format: MediaFormat;
  readonly audioFormat: MediaFormat | undefined;
  readonly contentLength: number | undefined;
  readonly estimatedContentLength: number | undefined;
}

// download-handler.ts takes it from here; it lives beside the extensions it maps.

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
  const choose = async (video: VideoInfo, selector: FormatSelector): Promise<Choice> => {
    if (selector.kind === "MERGED") {
      const pair = selectMerge(video.formats, selector);
      if (!(await deps.canMerge()))
        throw new MergeUnavailableError("merged downloads need ffmpeg, which this gateway does not have");
      const sizes = [pair.video.contentLength, pair.audio.contentLength];
      return {
        delivery: {
          kind: "merge",
          video: pair.video.itag,
          audio: pair.audio.itag,
          container: pair.container,
        },
        mimeType: `video/${pair.container}`,
        format: pair.video,
        audioFormat: pair.audio,
        contentLength: undefined,
        estimatedContentLength: sizes.every((n) => n !== undefined)
          ? sizes.reduce((a, b) => a + b, 0)
          : undefined,
      };
    }
    const format = selectFormat(video.formats, selector);
    if (format.isManifest) throw new LiveNotSupportedError("this format is a live manifest, not a file");
    return {
      delivery: { kind: "file", itag: format.itag },
      mimeType: essenceOf(format.mimeType),
      format,
      audioFormat: undefined,
      contentLength: format.contentLength,
      estimatedContentLength: format.contentLength,
    };
  };

  return {
    /**
     * Throws `UnsupportedUrlError`, the source's errors, `LiveNotSupportedError`,
     * `FormatNotFoundError` and, for a merge without ffmpeg, `MergeUnavailableError`.
     * @param base where `download/:token` is resolved against (PUBLIC_URL or the request's origin).
     */
    async prepare(request: PrepareDownloadRequest, base: URL): Promise<DownloadTicket> {
      const ref = deps.videos.parse(request.url);
      const video = await deps.videos.getInfo(ref, { metadataOnly: true });
      if (video.isLive) throw new LiveNotSupportedError("a live stream cannot be downloaded");
      const clip = request.clip === undefined ? undefined : checkClip(request.clip, video);
      const chosen = await choose(video, request.format ?? defaultSelector(video));
      const choice = clip === undefined ? chosen : await clipChoice(chosen, clip, video, deps.canMerge);
      const title = clip === undefined ? video.title : `${video.title} (${clipLabel(clip)})`;
      const filename = buildFilename(request.filename ?? title, extensionForMimeType(choice.mimeType));
      const ttl = Math.min(request.expiresIn ?? deps.ttlSeconds, deps.maxTtlSeconds);
      const signed = await deps.tokens.sign(
        {
          source: ref.source,
          videoId: ref.id,
          delivery: choice.delivery,
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
        mimeType: choice.mimeType,
        contentLength: choice.contentLength,
        estimatedContentLength: choice.estimatedContentLength,
        format: choice.format,
        audioFormat: choice.audioFormat,
        clip,
        video,
      };
    },
  };
}

export type DownloadTickets = ReturnType<typeof createDownloadTickets>;
