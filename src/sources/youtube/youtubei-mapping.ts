import type { Chapter, MediaFormat, Thumbnail, VideoInfo } from "../../core/video.ts";
import { byteRange } from "./byte-range.ts";
import { captionsOfYouTubeI } from "./caption-tracks.ts";
import { watchUrl } from "./youtube-url.ts";

/**
 * youtubei.js's parsed pages are deep trees of optional nodes whose typings depend on the node
 * kind; the few values downtube needs are read through these guards rather than casts.
 */
type Tree = Record<string, unknown>;
const isTree = (value: unknown): value is Tree => typeof value === "object" && value !== null;
export function pick(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) at = isTree(at) ? at[key] : undefined;
  return at;
}
export const finite = (value: unknown): number | undefined => {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
export const text = (value: unknown): string | undefined => {
  const raw = isTree(value) && "text" in value ? value.text : value;
  return typeof raw === "string" && raw.length > 0 ? raw : undefined;
};

/** A youtubei.js `Format` and its deciphered URL. */
export interface DecipheredFormat {
  readonly format: unknown;
  readonly url: string;
}

/** `video/mp4; codecs="avc1.4d401e, mp4a.40.2"` → container and the codecs of each track. */
function fromMimeType(mimeType: string, hasVideo: boolean, hasAudio: boolean) {
  const container = /^[a-z]+\/([a-z0-9]+)/i.exec(mimeType)?.[1];
  const codecs = (/codecs="([^"]*)"/.exec(mimeType)?.[1] ?? "").split(",").map((c) => c.trim());
  const [first, second] = codecs;
  return {
    container,
    videoCodec: hasVideo ? text(first) : undefined,
    audioCodec: hasAudio ? text(hasVideo ? second : first) : undefined,
  };
}

function audioOnlyKbps(format: unknown, hasVideo: boolean, hasAudio: boolean): number | undefined {
  if (hasVideo || !hasAudio) return undefined;
  const bitrate = finite(pick(format, "average_bitrate")) ?? finite(pick(format, "bitrate"));
  return bitrate === undefined ? undefined : Math.round(bitrate / 1000);
}

/** One youtubei.js format, with its deciphered URL, as a `MediaFormat`. */
export function toMediaFormat({ format, url }: DecipheredFormat): MediaFormat {
  const mimeType = text(pick(format, "mime_type")) ?? "application/octet-stream";
  const hasVideo = pick(format, "has_video") === true;
  const hasAudio = pick(format, "has_audio") === true;
  const bitrate = finite(pick(format, "bitrate"));
  return {
    itag: finite(pick(format, "itag")) ?? 0,
    mimeType,
    ...fromMimeType(mimeType, hasVideo, hasAudio),
    qualityLabel: text(pick(format, "quality_label")),
    width: finite(pick(format, "width")),
    height: finite(pick(format, "height")),
    fps: finite(pick(format, "fps")),
    bitrate,
    // YouTube states no audio bitrate; an audio-only format's own bitrate is its audio's (kb/s).
    audioBitrate: audioOnlyKbps(format, hasVideo, hasAudio),
    contentLength: finite(pick(format, "content_length")),
    hasVideo,
    hasAudio,
    isManifest: false,
    initRange: byteRange(pick(format, "init_range")),
    indexRange: byteRange(pick(format, "index_range")),
    url,
  };
}

/** youtubei.js thumbnails, smallest first, those without a size left out. */
export function thumbnails(value: unknown): Thumbnail[] {
  const list = Array.isArray(value) ? value : [];
  // youtubei.js sorts them largest first; YouTube (and the API's clients) list them smallest first.
  return list
    .flatMap((t) => {
      const url = text(pick(t, "url"));
      const width = finite(pick(t, "width"));
      const height = finite(pick(t, "height"));
      return url === undefined || width === undefined || height === undefined ? [] : [{ url, width, height }];
    })
    .sort((a, b) => a.width - b.width);
}

/** Chapters from the watch-next data's player bar (`DESCRIPTION_CHAPTERS` markers). */
function chapters(info: unknown): Chapter[] {
  const markers = pick(info, "player_overlays", "decorated_player_bar", "player_bar", "markers_map");
  const list = Array.isArray(markers) ? markers : [];
  return list.flatMap((marker) => {
    const items = pick(marker, "value", "chapters");
    return (Array.isArray(items) ? items : []).flatMap((chapter) => {
      const title = text(pick(chapter, "title"));
      const startMs = finite(pick(chapter, "time_range_start_millis"));
      return title === undefined || startMs === undefined ? [] : [{ title, startSeconds: startMs / 1000 }];
    });
  });
}

/** youtubei.js's `VideoInfo` (player + watch-next answers) as a source-neutral `VideoInfo`. */
export function toVideoInfo(id: string, info: unknown, formats: readonly DecipheredFormat[]): VideoInfo {
  const basic = pick(info, "basic_info");
  const microformat = pick(info, "page", "0", "microformat");
  const owner = pick(info, "secondary_info", "owner", "author");
  return {
    ref: { source: "youtube", id },
    url: watchUrl(id),
    title: text(pick(basic, "title")) ?? "",
    description: text(pick(basic, "short_description")),
    author: {
      id: text(pick(basic, "channel_id")) ?? text(pick(basic, "channel", "id")),
      name: text(pick(basic, "author")) ?? text(pick(basic, "channel", "name")) ?? "unknown channel",
      url: text(pick(basic, "channel", "url")),
      verified: pick(owner, "is_verified") === true,
    },
    durationSeconds: finite(pick(basic, "duration")) ?? 0,
    viewCount: finite(pick(basic, "view_count")),
    publishDate: text(pick(microformat, "publish_date")),
    isLive: pick(basic, "is_live") === true,
    thumbnails: thumbnails(pick(basic, "thumbnail")),
    chapters: chapters(info),
    formats: formats.map(toMediaFormat),
    ...captionsOfYouTubeI(pick(info, "captions")),
  };
}
