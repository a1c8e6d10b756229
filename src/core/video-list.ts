import type { Channel, Thumbnail } from "./video.ts";

/**
 * Source-neutral lists of videos: playlists and a channel's uploads. Adapters translate their
 * library's pages into these; nothing past an adapter sees youtubei.js shapes.
 */

/** Which list: a playlist by its id, or a channel's uploads by the channel's id (`UC…`). */
export interface ListRef {
  readonly kind: "playlist" | "channel";
  readonly id: string;
}

/** One entry of a list, as the list shows it (no extraction of the video behind it). */
export interface ListEntry {
  /** The video id (YouTube: 11 characters). */
  readonly videoId: string;
  /** The video's canonical URL, as `video(url:)` and `prepareDownload` take it. */
  readonly url: string;
  readonly title: string;
  readonly durationSeconds: number | undefined;
  readonly author: Channel | undefined;
  readonly thumbnails: readonly Thumbnail[];
  /** False for deleted and private entries, which stay in the list under a placeholder title. */
  readonly playable: boolean;
}

/** One page of a list as the origin sends it, and how to ask for the next one. */
export interface ListPage {
  readonly entries: readonly ListEntry[];
  /** The origin's own token for the next page; undefined on the last page. */
  readonly continuation: string | undefined;
}

/** What a playlist says about itself. */
export interface PlaylistInfo {
  readonly id: string;
  /** Canonical `/playlist?list=` URL. */
  readonly url: string;
  readonly title: string;
  readonly description: string | undefined;
  readonly author: Channel | undefined;
  /** How many entries the origin says the list has, when it says. */
  readonly videoCount: number | undefined;
  readonly thumbnails: readonly Thumbnail[];
}

/** What a channel says about itself. */
export interface ChannelInfo {
  /** `UC…`. */
  readonly id: string;
  readonly name: string;
  /** Canonical `/channel/UC…` URL. */
  readonly url: string;
  readonly thumbnails: readonly Thumbnail[];
}

/** A list's description and its first page, which the origin sends together. */
export interface ListHead<Info> {
  readonly info: Info;
  readonly first: ListPage;
}

/**
 * A channel as a user names it: `/channel/UC…`, `/@handle`, `/c/name` or `/user/name`, the
 * path of its canonical URL (no trailing part such as `/videos`).
 */
export type ChannelPath = string;

/**
 * The port for lists of videos (YouTube through youtubei.js; ytdl-core reads no lists). Adapters
 * live in `src/sources/`.
 */
export interface PlaylistSource {
  /** The playlist id in a playlist URL, a watch URL with `list=`, or a bare id; else undefined. */
  parsePlaylist(input: string): string | undefined;
  /** The channel path of a channel URL (or a bare `@handle` or `UC…` id); else undefined. */
  parseChannel(input: string): ChannelPath | undefined;
  /**
   * A playlist and its first page. Throws `PlaylistNotFoundError` (unknown or private list),
   * `UpstreamError`, `UpstreamTimeoutError`.
   */
  getPlaylist(id: string, signal?: AbortSignal): Promise<ListHead<PlaylistInfo>>;
  /** A channel and the first page of its uploads, newest first. Throws like `getPlaylist`. */
  getChannel(path: ChannelPath, signal?: AbortSignal): Promise<ListHead<ChannelInfo>>;
  /**
   * The page behind a continuation token of `list` (one the origin handed out). Throws
   * `UpstreamError` (the origin refused the token), `UpstreamTimeoutError`.
   */
  getPage(list: ListRef, continuation: string, signal?: AbortSignal): Promise<ListPage>;
}
