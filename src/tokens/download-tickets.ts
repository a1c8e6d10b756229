import type { AudioRequest } from "../core/audio-output.ts";
import { BadUserInputError, FfmpegUnavailableError, LiveNotSupportedError } from "../core/errors.ts";
import type { TimeRange } from "../core/ffmpeg-job.ts";
import type { FormatSelector } from "../core/format-selection.ts";
import type { MediaFormat, VideoInfo } from "../core/video.ts";
import type { VideoService } from "../core/video-service.ts";
import type { Disposition } from "../download/content-disposition.ts";
import { buildFilename, extensionForMimeType } from "../download/filename.ts";
import { type ListVideos, type PrepareArchiveRequest, prepareArchiveTicket } from "./archive-tickets.ts";
import { type CaptionsRequest, captionsTicket, embeddedCaptions } from "./caption-tickets.ts";
import { clipChoice } from "./clip-choice.ts";
import { checkClip, clipLabel } from "./clip-request.ts";
import { type Choice, chooseFor } from "./delivery-choice.ts";
import type { DownloadClaims } from "./download-claims.ts";
import { type DownloadTicket, issueTicket } from "./ticket-issue.ts";
import type { TokenService } from "./token-service.ts";

/** What a client asks for when it prepares a download. */
export interface PrepareDownloadRequest {
  readonly url: string;
  /** Default: the best muxed mp4. */
  readonly format?: FormatSelector | undefined;
  /** An audio file made of the video's sound (`format` then picks the source format). */
  readonly audio?: AudioRequest | undefined;
  readonly disposition: Disposition;
  /** Overrides the title as the file name (sanitised; the extension follows the container). */
  readonly filename?: string | undefined;
  /** Seconds; clamped to the configured maximum. */
  readonly expiresIn?: number | undefined;
  readonly maxUses?: number | undefined;
  /** The API key that asks, recorded in the token. */
  readonly apiKeyId?: string | undefined;
  /** The download is this caption track as a file (no `format`, `audio` or `embedCaptions` then). */
  readonly captions?: CaptionsRequest | undefined;
  /** Language codes of caption tracks embedded in the video download. */
  readonly embedCaptions?: readonly string[] | undefined;
  /** Only this time range of the video (`ClipInput`). */
  readonly clip?: TimeRange | undefined;
}

export interface DownloadTicketsDeps {
  readonly videos: VideoService;
  readonly tokens: TokenService;
  /** Token lifetime when the client names none, and the most it may ask for, in seconds. */
  readonly ttlSeconds: number;
  readonly maxTtlSeconds: number;
  /** Whether ffmpeg runs here; asked only for what ffmpeg makes (merges, audio files, clips, embedded captions). */
  readonly canRunFfmpeg: () => Promise<boolean>;
  /** The most items one archive may hold (`DOWNTUBE_MAX_ARCHIVE_ITEMS`). */
  readonly maxArchiveItems: number;
  /** The videos of a playlist or channel, in order, at most `max` (undefined: lists are not available). */
  readonly listVideos?: ListVideos | undefined;
}

/** What a ticket delivers, before it is signed: a caption file has no format. */
type Decision = Omit<Choice, "format"> & { readonly format: MediaFormat | undefined };

/** Mints download tickets: resolves the video and one concrete format, then signs a token. */
export function createDownloadTickets(deps: DownloadTicketsDeps) {
  /** A caption file, or a format (with the captions it embeds) under its file name. */
  const decide = async (
    video: VideoInfo,
    request: PrepareDownloadRequest,
  ): Promise<{ choice: Decision; filename: string }> => {
    const clip = request.clip === undefined ? undefined : checkClip(request.clip, video);
    const title =
      request.filename ?? (clip === undefined ? video.title : `${video.title} (${clipLabel(clip)})`);
    if (request.captions !== undefined) {
      if (clip !== undefined) throw new BadUserInputError("clip: a caption file is always whole");
      if (request.format !== undefined || request.audio !== undefined || request.embedCaptions !== undefined)
        throw new BadUserInputError(
          "captions: a caption file is asked for alone, without format, audio or embedCaptions",
        );
      const captions = captionsTicket(video, request.captions, title);
      const choice: Decision = {
        ...captions,
        format: undefined,
        audioFormat: undefined,
        contentLength: undefined,
        estimatedContentLength: undefined,
      };
      return { choice, filename: captions.filename };
    }
    const whole = await chooseFor(video, request, deps.canRunFfmpeg);
    const embedding = (request.embedCaptions ?? []).length > 0;
    const chosen =
      clip === undefined ? whole : await clipChoice(whole, clip, video, deps.canRunFfmpeg, embedding);
    const filename = buildFilename(title, chosen.extension ?? extensionForMimeType(chosen.mimeType));
    const languages = request.embedCaptions ?? [];
    if (languages.length === 0) return { choice: chosen, filename };
    const { delivery } = chosen;
    if (delivery.kind !== "file" && delivery.kind !== "merge")
      throw new BadUserInputError(
        "embedCaptions: captions are embedded into video downloads, not audio files",
      );
    const container = delivery.kind === "merge" ? delivery.container : chosen.format.container;
    const embed = embeddedCaptions(video, languages, chosen.format, container);
    if (!(await deps.canRunFfmpeg()))
      throw new FfmpegUnavailableError("embedding captions needs ffmpeg, which this gateway does not have");
    // ffmpeg makes the file: its size is known only once it is made.
    const choice: Decision = {
      ...chosen,
      delivery: { ...delivery, embedCaptions: embed },
      contentLength: undefined,
    };
    return { choice, filename };
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
      const { choice, filename } = await decide(video, request);
      const claims: DownloadClaims = {
        source: ref.source,
        videoId: ref.id,
        delivery: choice.delivery,
        disposition: request.disposition,
        filename,
        maxUses: request.maxUses,
        apiKeyId: request.apiKeyId,
      };
      return issueTicket(deps, claims, request.expiresIn, base, {
        filename,
        mimeType: choice.mimeType,
        contentLength: choice.contentLength,
        estimatedContentLength: choice.estimatedContentLength,
        format: choice.format,
        audioFormat: choice.audioFormat,
        clip: request.clip === undefined ? undefined : checkClip(request.clip, video),
        video,
      });
    },
    /** See {@link prepareArchiveTicket}. */
    prepareArchive: (request: PrepareArchiveRequest, base: URL) => prepareArchiveTicket(deps, request, base),
  };
}

export type DownloadTickets = ReturnType<typeof createDownloadTickets>;
