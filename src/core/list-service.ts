import { UnsupportedUrlError } from "./errors.ts";
import { type ListPosition, type ListSlice, sliceAfter } from "./list-paging.ts";
import type { Store } from "./ports.ts";
import type { SharedExtraction } from "./shared-extraction.ts";
import type {
  ChannelInfo,
  ChannelPath,
  ListHead,
  ListPage,
  ListRef,
  PlaylistInfo,
  PlaylistSource,
} from "./video-list.ts";

export interface ListServiceDeps {
  readonly source: PlaylistSource;
  /** Where list pages are cached (as JSON), like video metadata. */
  readonly store: Store;
  readonly cacheTtlMs: number;
  /** Runs one fetch of a cold page across all instances. */
  readonly shared: SharedExtraction;
}

/** Finds playlists and channels by URL and pages through them, from the cache or the origin. */
export interface ListService {
  /** The playlist id behind a user's URL or id; `UnsupportedUrlError` when it names none. */
  playlistId(input: string): string;
  /** The channel behind a user's URL, handle or id; `UnsupportedUrlError` when it names none. */
  channelPath(input: string): ChannelPath;
  /** A playlist and its first page. Throws what the source throws (`PlaylistNotFoundError`, …). */
  playlist(id: string): Promise<ListHead<PlaylistInfo>>;
  /** A channel and the first page of its uploads. Throws like `playlist`. */
  channel(path: ChannelPath): Promise<ListHead<ChannelInfo>>;
  /**
   * Up to `first` entries of `list` after `after` (from the start without it). Every origin page
   * is cached, and read once however many ask for it at the same time (here and, with a shared
   * store, across instances). Throws what the source throws.
   */
  slice(list: ListRef, after: ListPosition | undefined, first: number): Promise<ListSlice>;
}

/** Bumped whenever the cached shape of a list page changes, so old entries are not misread. */
const CACHE_VERSION = "v1";

/** The canonical path of a channel by id: where a cursor of its uploads finds the first page again. */
export function channelPathOf(id: string): ChannelPath {
  return `/channel/${id}`;
}

export function createListService({ source, store, cacheTtlMs, shared }: ListServiceDeps): ListService {
  const inFlight = new Map<string, Promise<unknown>>();

  const read = async <T>(key: string): Promise<T | undefined> => {
    const cached = await store.get(key);
    // Written only by `cached` below, from a value of this key's type.
    return cached === undefined ? undefined : (JSON.parse(cached) as T);
  };

  /** The value under `key`, or `fetch`'s result, fetched once however many ask at the same time. */
  const cached = async <T>(
    key: string,
    fetch: () => Promise<T>,
    alsoAt?: (value: T) => string,
  ): Promise<T> => {
    const hit = await read<T>(key);
    if (hit !== undefined) return hit;
    const running = inFlight.get(key);
    if (running !== undefined) return running as Promise<T>;
    const work = async () => {
      const value = await fetch();
      const json = JSON.stringify(value);
      const also = alsoAt?.(value);
      const keys = also === undefined || also === key ? [key] : [key, also];
      await Promise.all(keys.map((k) => store.set(k, json, cacheTtlMs)));
      return value;
    };
    const started = shared.once(`list:${key}`, () => read<T>(key), work).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };

  const playlist = (id: string) =>
    cached(`list:${CACHE_VERSION}:playlist:${id}`, () => source.getPlaylist(id));
  const channelKey = (path: ChannelPath) => `list:${CACHE_VERSION}:channel:${path}`;
  // A channel asked for by handle is also cached under its id, where its cursors look for it.
  const channel = (path: ChannelPath) =>
    cached(
      channelKey(path),
      () => source.getChannel(path),
      (head) => channelKey(channelPathOf(head.info.id)),
    );

  const firstPage = async (list: ListRef): Promise<ListPage> =>
    list.kind === "playlist"
      ? (await playlist(list.id)).first
      : (await channel(channelPathOf(list.id))).first;

  return {
    playlistId(input) {
      const id = source.parsePlaylist(input);
      if (id === undefined)
        throw new UnsupportedUrlError(
          "not a playlist: paste a YouTube /playlist?list= URL, a watch URL with &list=, or a playlist id",
        );
      return id;
    },

    channelPath(input) {
      const path = source.parseChannel(input);
      if (path === undefined)
        throw new UnsupportedUrlError(
          "not a channel: paste a YouTube /@handle, /channel/UC…, /c/… or /user/… URL",
        );
      return path;
    },

    playlist,
    channel,

    slice(list, after, first) {
      const load = (page: string | undefined): Promise<ListPage> =>
        page === undefined
          ? firstPage(list)
          : cached(`list:${CACHE_VERSION}:page:${list.kind}:${list.id}:${page}`, () =>
              source.getPage(list, page),
            );
      return sliceAfter(load, after, first);
    },
  };
}
