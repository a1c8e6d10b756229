import type { Channel } from "../../core/video.ts";
import type { ChannelInfo, ListEntry, PlaylistInfo } from "../../core/video-list.ts";
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

/**
 * One entry node of a list page: a `PlaylistVideo` of a playlist (id in `id`, `is_playable`
 * false for deleted and private entries) or a `Video` of a channel's Videos tab (id in
 * `video_id`; it leaves the author out, being the channel's).
 */
export function listEntry(node: unknown): ListEntry | undefined {
  const videoId = text(pick(node, "id")) ?? text(pick(node, "video_id"));
  if (videoId === undefined) return undefined;
  return {
    videoId,
    title: text(pick(node, "title")) ?? "",
    durationSeconds: seconds(pick(node, "duration", "seconds")),
    author: toChannel(pick(node, "author")),
    thumbnails: thumbnails(pick(node, "thumbnails")),
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
