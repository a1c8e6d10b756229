import type { videoFormat, videoInfo } from "@distube/ytdl-core";
import type { MediaFormat, VideoInfo } from "../../core/video.ts";
import { byteRange } from "./byte-range.ts";
import { captionsOfPlayerResponse } from "./caption-tracks.ts";
import { watchUrl } from "./youtube-url.ts";

const finite = (value: unknown): number | undefined => {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

/** ytdl-core's format (with the flags it derives from its itag table) as a `MediaFormat`. */
export function toMediaFormat(format: videoFormat): MediaFormat {
  return {
    itag: format.itag,
    mimeType: format.mimeType ?? "application/octet-stream",
    container: text(format.container),
    qualityLabel: text(format.qualityLabel),
    width: finite(format.width),
    height: finite(format.height),
    fps: finite(format.fps),
    bitrate: finite(format.bitrate),
    audioBitrate: finite(format.audioBitrate),
    contentLength: finite(format.contentLength),
    hasVideo: format.hasVideo,
    hasAudio: format.hasAudio,
    videoCodec: text(format.videoCodec),
    audioCodec: text(format.audioCodec),
    isManifest: format.isHLS || format.isDashMPD,
    initRange: byteRange(format.initRange),
    indexRange: byteRange(format.indexRange),
    url: format.url,
  };
}

/**
 * Several player clients answer for one video, so the same itag can come more than once: keep
 * one per itag, preferring the one that knows its size.
 */
function uniqueByItag(formats: readonly MediaFormat[]): MediaFormat[] {
  const byItag = new Map<number, MediaFormat>();
  for (const format of formats) {
    const seen = byItag.get(format.itag);
    if (seen === undefined || (seen.contentLength === undefined && format.contentLength !== undefined)) {
      byItag.set(format.itag, format);
    }
  }
  return [...byItag.values()];
}

/** ytdl-core's `videoInfo` as a source-neutral `VideoInfo`. */
export function toVideoInfo(info: videoInfo): VideoInfo {
  const details = info.videoDetails;
  const author = details.author;
  return {
    ref: { source: "youtube", id: details.videoId },
    url: watchUrl(details.videoId),
    title: details.title,
    description: text(details.description),
    author: {
      id: text(author?.id) ?? text(details.channelId),
      name: text(author?.name) ?? text(details.ownerChannelName) ?? "unknown channel",
      url: text(author?.channel_url),
      verified: author?.verified === true,
    },
    durationSeconds: finite(details.lengthSeconds) ?? 0,
    viewCount: finite(details.viewCount),
    publishDate: text(details.publishDate),
    isLive: details.isLive === true || details.liveBroadcastDetails?.isLiveNow === true,
    thumbnails: (details.thumbnails ?? []).map((t) => ({ url: t.url, width: t.width, height: t.height })),
    chapters: (details.chapters ?? []).map((c) => ({ title: c.title, startSeconds: c.start_time })),
    formats: uniqueByItag(info.formats.map(toMediaFormat)),
    ...captionsOfPlayerResponse(info.player_response),
  };
}
