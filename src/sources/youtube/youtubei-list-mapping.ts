import type { Channel } from "../../core/video.ts";
import type { ChannelInfo, ListEntry, PlaylistInfo } from "../../core/video-list.ts";
import { watchUrl } from "./youtube-url.ts";
import { finite, pick, text, thumbnails } from "./youtubei-mapping.ts";

/**
 * youtubei.js's list pages (its `Playlist`, `Channel` and continuation feeds, and the nodes on
 * them) as source-neutral lists. Values are read through guards, as in `youtubei-mapping.ts`.
 */

const channelUrl = (id: string) => `https://www.youtube.com/channel/${id}`;

/** Only a number of seconds YouTube stated: deleted entries have none (youtubei.js says NaN). */
const seconds = (value: unknown) => {
  const n = finite(value);
  return n !== undefined && n > 0 ? n : undefined;
};

/** A youtubei.js `Author`, or undefined when the node names none (youtubei.js then says "N/A"). */
export function toChannel(author: unknown): Channel | undefined {
  const id = text(pick(author, "id"));
  const name = text(pick(author, "name"));
  if (id === undefined || name === undefined) return undefined;
  return { id, name, url: channelUrl(id), verified: pick(author, "is_verified") === true };
}

/** "4:05", "1:02:03" → seconds; undefined for any other text. */
function clockSeconds(value: unknown): number | undefined {
  const clock = text(value);
  if (clock === undefined || !/^\d+(?::\d{2}){1,2}$/.test(clock)) return undefined;
  return clock.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

/** The length a `LockupView` shows in a badge over its thumbnail. */
function lockupSeconds(node: unknown): number | undefined {
  const overlays = pick(node, "content_image", "overlays");
  for (const overlay of Array.isArray(overlays) ? overlays : []) {
    const badges = pick(overlay, "badges");
    for (const badge of Array.isArray(badges) ? badges : []) {
      const seconds = clockSeconds(pick(badge, "text"));
      if (seconds !== undefined) return seconds;
    }
  }
  return undefined;
}

/**
 * One entry node of a list page: a `PlaylistVideo` of a playlist (id in `id`, `is_playable`
 * false for deleted and private entries), a `Video` of a channel's Videos tab (id in
 * `video_id`; it leaves the author out, being the channel's), or a `LockupView`, the newer
 * shape of grid items (id in `content_id`, title in its metadata, length in a badge).
 */
export function listEntry(node: unknown): ListEntry | undefined {
  const lockup = pick(node, "content_id") !== undefined;
  const videoId = text(pick(node, "id")) ?? text(pick(node, "video_id")) ?? text(pick(node, "content_id"));
  if (videoId === undefined) return undefined;
  return {
    videoId,
    url: watchUrl(videoId),
    title: text(pick(node, "title")) ?? text(pick(node, "metadata", "title")) ?? "",
    durationSeconds: lockup ? lockupSeconds(node) : seconds(pick(node, "duration", "seconds")),
    author: toChannel(pick(node, "author")),
    thumbnails: thumbnails(lockup ? pick(node, "content_image", "image") : pick(node, "thumbnails")),
    playable: pick(node, "is_playable") !== false,
  };
}

/** "1,234 videos" → 1234; undefined for "N/A" or no number. */
function count(stat: unknown): number | undefined {
  const digits = /^[\d,.\s]+/.exec(text(stat) ?? "")?.[0]?.replace(/\D/g, "");
  return digits ? Number(digits) : undefined;
}

/** youtubei.js's `Playlist.info` of playlist `id`. */
export function toPlaylistInfo(id: string, info: unknown): PlaylistInfo {
  return {
    id,
    url: `https://www.youtube.com/playlist?list=${id}`,
    title: text(pick(info, "title")) ?? "",
    description: text(pick(info, "description")),
    author: toChannel(pick(info, "author")),
    videoCount: count(pick(info, "total_items")),
    thumbnails: thumbnails(pick(info, "thumbnails")),
  };
}

/** youtubei.js's `Channel.metadata`; undefined without the channel's id. */
export function toChannelInfo(metadata: unknown): ChannelInfo | undefined {
  const id = text(pick(metadata, "external_id"));
  if (id === undefined) return undefined;
  return {
    id,
    name: text(pick(metadata, "title")) ?? id,
    url: channelUrl(id),
    thumbnails: thumbnails(pick(metadata, "avatar")),
  };
}
