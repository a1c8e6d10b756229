import type { AudioRequest } from "../core/audio-output.ts";
import { BadUserInputError, DowntubeError, LiveNotSupportedError } from "../core/errors.ts";
import type { FormatSelector } from "../core/format-selection.ts";
import type { ListedVideos } from "../core/list-videos.ts";
import type { VideoInfo } from "../core/video.ts";
import type { VideoService } from "../core/video-service.ts";
import type { Disposition } from "../download/content-disposition.ts";
import { buildFilename } from "../download/filename.ts";
import { type Choice, chooseFor } from "./delivery-choice.ts";
import { VIDEO_ID_LENGTH } from "./download-claims.ts";
import { type DownloadTicket, issueTicket, type TicketSigning } from "./ticket-issue.ts";

/** Reads the first `max` videos of a playlist or channel URL. Throws `PLAYLIST_NOT_FOUND` and the source's errors. */
export type ListVideos = (url: string, max: number) => Promise<ListedVideos>;

/** What a client asks for when it prepares an archive: exactly one of `playlistUrl` and `urls`. */
export interface PrepareArchiveRequest {
  readonly playlistUrl?: string | undefined;
  readonly urls?: readonly string[] | undefined;
  /** Applied to each video, as `prepareDownload` would; default: the best muxed mp4. */
  readonly format?: FormatSelector | undefined;
  /** Each video as an audio file (`format` then picks the source format). */
  readonly audio?: AudioRequest | undefined;
  /** At most this many videos (default 50; clamped to `DOWNTUBE_MAX_ARCHIVE_ITEMS`). */
  readonly maxItems: number;
  readonly filename?: string | undefined;
  readonly disposition: Disposition;
  readonly expiresIn?: number | undefined;
  readonly maxUses?: number | undefined;
  readonly apiKeyId?: string | undefined;
}

export interface ArchiveTicketDeps extends TicketSigning {
  readonly videos: VideoService;
  readonly canRunFfmpeg: () => Promise<boolean>;
  readonly maxArchiveItems: number;
  readonly listVideos?: ListVideos | undefined;
}

/** How many items are tried, in order, for the one the ticket describes before giving up. */
const FIRST_ITEM_TRIES = 5;

/** The archive's videos and its default name, from exactly one of the request's two lists. */
async function videosOf(
  deps: ArchiveTicketDeps,
  request: PrepareArchiveRequest,
): Promise<{ id: string; title: string; videoIds: string[] }> {
  const { playlistUrl, urls } = request;
  if ((playlistUrl === undefined) === (urls === undefined))
    throw new BadUserInputError("give exactly one of playlistUrl and urls");
  if (!Number.isInteger(request.maxItems) || request.maxItems < 1)
    throw new BadUserInputError("maxItems must be at least 1");
  // Clamped like expiresIn: a client that leaves the default works on a gateway that allows fewer.
  const maxItems = Math.min(request.maxItems, deps.maxArchiveItems);
  if (playlistUrl !== undefined) {
    if (deps.listVideos === undefined)
      throw new BadUserInputError("this gateway cannot read playlists: give the videos as urls");
    const listed = await deps.listVideos(playlistUrl, maxItems);
    if (listed.videoIds.length === 0)
      throw new BadUserInputError("the playlist has no video that can be downloaded");
    return { id: listed.id, title: listed.title, videoIds: [...listed.videoIds] };
  }
  const list = urls ?? [];
  if (list.length === 0) throw new BadUserInputError("urls must name at least one video");
  if (list.length > maxItems)
    throw new BadUserInputError(`urls names ${list.length} videos, more than maxItems (${maxItems})`);
  const ids: string[] = [];
  for (const [index, url] of list.entries()) {
    const ref = deps.videos.parse(url);
    if (ref.source !== "youtube" || ref.id.length !== VIDEO_ID_LENGTH)
      throw new BadUserInputError(`urls[${index}]: an archive takes YouTube videos only`);
    if (!ids.includes(ref.id)) ids.push(ref.id);
  }
  return { id: ids[0] as string, title: "downtube archive", videoIds: ids };
}

/**
 * The first item that can be prepared, for what the ticket says (`video`, `format`): an archive
 * is not refused because one of its items is gone, but it is when none of the first few can be
 * read (a selector that fits nothing, a list of private videos). Throws that first error.
 */
async function firstItem(
  deps: ArchiveTicketDeps,
  request: PrepareArchiveRequest,
  videoIds: readonly string[],
): Promise<{ video: VideoInfo; choice: Choice }> {
  let firstError: unknown;
  for (const id of videoIds.slice(0, FIRST_ITEM_TRIES)) {
    try {
      const video = await deps.videos.getInfo({ source: "youtube", id }, { metadataOnly: true });
      if (video.isLive) throw new LiveNotSupportedError("a live stream cannot be downloaded");
      const choice = await chooseFor(video, request, deps.canRunFfmpeg);
      return { video, choice };
    } catch (error) {
      if (!(error instanceof DowntubeError)) throw error;
      firstError ??= error;
    }
  }
  throw firstError;
}

/**
 * Prepares one ZIP of several videos (`prepareArchive`): the list is read now (a playlist's
 * first `maxItems` playable entries, or the given URLs), each video's format is chosen when the
 * archive is downloaded. The ticket's `video` and `format` describe its first item; its size is
 * known only when the archive is redeemed. Throws `BadUserInputError`, `UnsupportedUrlError`,
 * the list's and the first items' errors.
 */
export async function prepareArchiveTicket(
  deps: ArchiveTicketDeps,
  request: PrepareArchiveRequest,
  base: URL,
): Promise<DownloadTicket> {
  const list = await videosOf(deps, request);
  const { video, choice } = await firstItem(deps, request, list.videoIds);
  const filename = buildFilename(request.filename ?? list.title, "zip");
  const format = request.format === undefined ? undefined : withoutNulls(request.format);
  return issueTicket(
    deps,
    {
      source: "youtube",
      videoId: list.id,
      delivery: { kind: "archive", videoIds: list.videoIds.join(""), item: { format, audio: request.audio } },
      disposition: request.disposition,
      filename,
      maxUses: request.maxUses,
      apiKeyId: request.apiKeyId,
    },
    request.expiresIn,
    base,
    {
      filename,
      mimeType: "application/zip",
      contentLength: undefined,
      estimatedContentLength: undefined,
      format: choice.format,
      audioFormat: choice.audioFormat,
      video,
    },
  );
}

/** A selector as the token keeps it: only the fields the client set (GraphQL gives nulls). */
function withoutNulls(selector: FormatSelector): FormatSelector {
  return Object.fromEntries(
    Object.entries(selector).filter(([, value]) => value !== null && value !== undefined),
  );
}
