import { UnsupportedUrlError } from "./errors.ts";
import type { ListPosition } from "./list-paging.ts";
import type { ListService } from "./list-service.ts";
import type { ListRef } from "./video-list.ts";

/** The first playable videos of a list, for an archive. */
export interface ListedVideos {
  /** The list's title (a playlist's) or name (a channel's). */
  readonly title: string;
  readonly id: string;
  /** Video ids, in list order, deleted and private entries left out. */
  readonly videoIds: readonly string[];
}

/** Entries read per slice while collecting a list's videos (the most a slice gives). */
const SLICE = 200;

/**
 * The first `max` playable videos of a playlist URL (or id), or of a channel's uploads (a
 * channel URL or handle), read through the list service's cache. Throws `UnsupportedUrlError`
 * for a URL that names neither, and what the list service throws (`PlaylistNotFoundError`, …).
 */
export async function firstVideosOf(lists: ListService, url: string, max: number): Promise<ListedVideos> {
  let ref: ListRef;
  let title: string;
  try {
    const head = await lists.playlist(lists.playlistId(url));
    ref = { kind: "playlist", id: head.info.id };
    title = head.info.title;
  } catch (error) {
    if (!(error instanceof UnsupportedUrlError)) throw error;
    const head = await lists.channel(lists.channelPath(url));
    ref = { kind: "channel", id: head.info.id };
    title = head.info.name;
  }
  const videoIds: string[] = [];
  let after: ListPosition | undefined;
  for (;;) {
    const slice = await lists.slice(ref, after, SLICE);
    for (const { entry } of slice.items)
      if (entry.playable && videoIds.length < max) videoIds.push(entry.videoId);
    const last = slice.items.at(-1);
    if (videoIds.length >= max || !slice.hasNextPage || last === undefined) break;
    after = last.position;
  }
  return { title, id: ref.id, videoIds };
}
