import { AsyncLocalStorage } from "node:async_hooks";
import type Innertube from "youtubei.js";
import {
  DowntubeError,
  PlaylistNotFoundError,
  UpstreamError,
  UpstreamTimeoutError,
} from "../../core/errors.ts";
import { describeError, type Logger } from "../../core/logger.ts";
import type { ChannelInfo, ListHead, ListPage, PlaylistSource } from "../../core/video-list.ts";
import { untilAborted } from "../until-aborted.ts";
import type { YouTubeCookies } from "./cookie-file.ts";
import type { ExtractionFetch } from "./youtube-extractor.ts";
import { createYouTubeFetch } from "./youtube-fetch.ts";
import { parseChannelUrl, parsePlaylistUrl } from "./youtube-list-url.ts";
import { listEntry, toChannelInfo, toPlaylistInfo } from "./youtubei-list-mapping.ts";
import { loadYouTubeI, type YouTubeIModule } from "./youtubei-loader.ts";
import { pick } from "./youtubei-mapping.ts";
import { asPlainCall } from "./youtubei-request.ts";

export interface YouTubeIPlaylistSourceOptions {
  /** `DOWNTUBE_YOUTUBE_ORIGIN`: where every request goes instead of YouTube's hosts. */
  readonly origin: URL | undefined;
  /** Budget for one list read (all its requests together), in milliseconds. */
  readonly timeoutMs: number;
  /** The platform fetch, or the fetch through an egress (proxy and cookies). */
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** `DOWNTUBE_YOUTUBE_COOKIES_FILE`'s cookies, sent where their domains say, as for metadata. */
  readonly cookies?: YouTubeCookies | undefined;
  readonly log: Logger;
}

/** One read of a list: its requests' fetch, and whether YouTube answered one of them 404. */
interface Call {
  readonly fetch: ExtractionFetch;
  notFound: boolean;
}

interface Session {
  readonly lib: YouTubeIModule;
  readonly youtube: Innertube;
}

/** The node type youtubei.js gives a page's "load more" item. */
type Nodes = YouTubeIModule["YTNodes"];

/** The token of the page after this one: the continuation item among the page's nodes, if any. */
function nextToken(lib: YouTubeIModule, memo: unknown, exclude: readonly unknown[] = []): string | undefined {
  const getType = pick(memo, "getType");
  if (typeof getType !== "function") return undefined;
  const items: unknown[] = getType.call(memo, lib.YTNodes.ContinuationItem as Nodes["ContinuationItem"]);
  const own = items.filter((item) => !exclude.includes(item));
  const token = pick(own.at(-1), "endpoint", "payload", "token");
  return typeof token === "string" && token.length > 0 ? token : undefined;
}

const present = <T>(value: T | undefined): value is T => value !== undefined;

/**
 * Playlists and channels' uploads through youtubei.js (InnerTube `browse`, continuations and
 * `navigation/resolve_url`). Its own session, generated locally and without the player (lists
 * need no deciphering), so reading a list costs one request per page. Every request goes through
 * the YouTube fetch (routing, host checks, redirects) with the read's timeout.
 */
export function createYouTubeIPlaylistSource(options: YouTubeIPlaylistSourceOptions): PlaylistSource {
  const youtubeFetch = createYouTubeFetch({
    fetch: options.fetch,
    origin: options.origin,
    cookies: options.cookies,
  });
  const calls = new AsyncLocalStorage<Call>();
  let session: Promise<Session> | undefined;

  const fetchForLibrary = async (input: unknown, init?: RequestInit): Promise<Response> => {
    const call = calls.getStore();
    if (call === undefined) throw new UpstreamError("youtubei.js made a list request outside a read");
    const response = await call.fetch(...(await asPlainCall(input, init)));
    if (response.status === 404) call.notFound = true;
    return response;
  };

  const open = async (): Promise<Session> => {
    const lib = await loadYouTubeI();
    lib.Log.setLevel(lib.Log.Level.NONE);
    const youtube = await lib.Innertube.create({
      generate_session_locally: true,
      retrieve_innertube_config: false,
      retrieve_player: false,
      fetch: fetchForLibrary as typeof globalThis.fetch,
    });
    return { lib, youtube };
  };

  /** The one session of this source, started on first use and again after a start that failed. */
  const sessionOf = (): Promise<Session> => {
    if (session === undefined) {
      const starting = open();
      session = starting;
      starting.catch(() => {
        if (session === starting) session = undefined;
      });
    }
    return session;
  };

  /** Runs one read with its own fetch and timeout; failures become typed errors. */
  const read = <T>(
    what: string,
    signal: AbortSignal | undefined,
    work: (s: Session, call: Call) => Promise<T>,
  ) => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const abort = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    const call: Call = {
      fetch: (url, init) => youtubeFetch(url, { ...init, signal: abort }),
      notFound: false,
    };
    return calls.run(call, async () => {
      try {
        return await untilAborted(
          sessionOf().then((s) => work(s, call)),
          abort,
        );
      } catch (error) {
        if (timeout.aborted)
          throw new UpstreamTimeoutError(`YouTube did not answer within ${options.timeoutMs} ms`, {
            cause: error,
          });
        if (signal?.aborted && !(error instanceof DowntubeError)) throw signal.reason;
        if (error instanceof DowntubeError) throw error;
        const lib = await loadYouTubeI().catch(() => undefined);
        if (isErrorAlert(lib, error) || call.notFound)
          throw new PlaylistNotFoundError(notFoundMessage(lib, what, error), { cause: error });
        options.log.warn("could not read a list from YouTube", { list: what, ...describeError(error) });
        throw new UpstreamError(`could not read this ${what} from YouTube`, { cause: error });
      }
    });
  };

  const uploadsPage = (s: Session, memo: unknown, videos: readonly unknown[]): ListPage => ({
    entries: videos.map(listEntry).filter(present),
    continuation: nextToken(s.lib, memo),
  });

  return {
    parsePlaylist: parsePlaylistUrl,
    parseChannel: parseChannelUrl,

    getPlaylist: (id, signal) =>
      read("playlist", signal, async (s) => {
        const playlist = await s.youtube.getPlaylist(id);
        const sections = playlist.memo.getType(s.lib.YTNodes.SectionList);
        // Items straight in the page's section list continue the page's suggestions, not the list.
        const aside = sections.flatMap((section) => [...section.contents]);
        return {
          info: toPlaylistInfo(id, playlist.info),
          first: {
            entries: playlist.items.map(listEntry).filter(present),
            continuation: nextToken(s.lib, playlist.memo, aside),
          },
        };
      }),

    getChannel: (path, signal) =>
      read("channel", signal, async (s): Promise<ListHead<ChannelInfo>> => {
        const browseId = path.startsWith("/channel/")
          ? path.slice("/channel/".length)
          : pick(await s.youtube.resolveURL(`https://www.youtube.com${path}`), "payload", "browseId");
        if (typeof browseId !== "string" || !browseId.startsWith("UC"))
          throw new PlaylistNotFoundError(`YouTube knows no channel at ${path}`);
        const channel = await s.youtube.getChannel(browseId);
        const info = toChannelInfo(channel.metadata);
        if (info === undefined) throw new UpstreamError("YouTube's channel page named no channel id");
        const uploads = await channel.getVideos();
        return { info, first: uploadsPage(s, uploads.memo, uploads.videos) };
      }),

    getPage: (list, continuation, signal) =>
      read(list.kind, signal, async (s): Promise<ListPage> => {
        const page = await s.youtube.actions.execute("/browse", { continuation, parse: true });
        if (list.kind === "playlist") {
          const more = new s.lib.YT.Playlist(s.youtube.actions, page, true);
          return {
            entries: more.items.map(listEntry).filter(present),
            continuation: nextToken(s.lib, more.memo),
          };
        }
        const more = new s.lib.YT.ChannelListContinuation(s.youtube.actions, page, true);
        return uploadsPage(s, more.memo, more.videos);
      }),
  };
}

/** youtubei.js's error for a page that carries an ERROR alert (a private or unknown list or channel). */
function isErrorAlert(lib: YouTubeIModule | undefined, error: unknown): error is Error {
  return (
    pick(error, "info", "alert_type") === "ERROR" ||
    (lib !== undefined && error instanceof lib.Utils.ChannelError)
  );
}

function notFoundMessage(lib: YouTubeIModule | undefined, what: string, error: unknown): string {
  const said = isErrorAlert(lib, error) ? ` (YouTube says: ${error.message})` : "";
  return `no such ${what}, or it is private${said}`;
}
