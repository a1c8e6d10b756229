import ytdl from "@distube/ytdl-core";
import { DowntubeError, UpstreamTimeoutError } from "../../core/errors.ts";
import type { VideoSource } from "../../core/ports.ts";
import { fetchSize } from "../origin-request.ts";
import { openRanged } from "../ranged-fetch.ts";
import { untilAborted } from "../until-aborted.ts";
import { parseYouTubeUrl, watchUrl } from "./youtube-url.ts";
import { fromYtdlError } from "./ytdl-errors.ts";
import { toVideoInfo } from "./ytdl-mapping.ts";
import { type ExtractionFetch, withExtractionFetch } from "./ytdl-requests.ts";

type PlayerClient = "WEB" | "WEB_EMBEDDED" | "IOS" | "ANDROID" | "TV";

export interface YtdlVideoSourceOptions {
  /**
   * When set, every request goes to this origin (same path and query) instead of YouTube's
   * hosts: the simulated YouTube in tests and in the offline demo.
   */
  readonly origin: URL | undefined;
  /** Budget for one whole extraction, all its requests together, in milliseconds. */
  readonly timeoutMs: number;
  /** The platform fetch; injected so the adapter holds no global. */
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** Largest range asked of googlevideo in one media request, in bytes. */
  readonly chunkBytes: number;
}

/**
 * The WEB client reads formats from the watch page itself, the others ask the youtubei player
 * API: asking both gives formats even when one of them is refused.
 */
const PLAYER_CLIENTS: readonly PlayerClient[] = ["WEB", "WEB_EMBEDDED", "IOS", "ANDROID", "TV"];

// ytdl-core reads `maxRetries` from its request options (its typings do not list it) and adds
// headers to that object, so each extraction gets its own.
const oneRetry = () => ({ maxRetries: 1 }) as NonNullable<ytdl.getInfoOptions["requestOptions"]>;

interface YtdlCaches {
  cache: { info: Map<string, unknown>; watch: Map<string, unknown> };
}

/** ytdl-core keeps its own short-lived per-id caches; ours replaces them, so theirs are emptied. */
function forgetInYtdl(id: string): void {
  const { info, watch } = (ytdl as unknown as YtdlCaches).cache;
  for (const cache of [info, watch]) {
    for (const key of cache.keys()) if (key.includes(id)) cache.delete(key);
  }
}

/**
 * ytdl-core cannot read formats from an HLS manifest (they carry no mimeType), so a live video
 * that offers HLS only ends in "No playable formats found". Its details are still known (ytdl-core
 * caches the basic info it read, so asking again costs no request): a live video is answered as
 * such, with no format, and `prepareDownload` then says LIVE_NOT_SUPPORTED. Anything else rethrows.
 */
async function liveWithoutFiles(id: string, error: unknown): Promise<ytdl.videoInfo> {
  if (!(error instanceof Error) || !/no playable formats/i.test(error.message)) throw error;
  const basic = await ytdl.getBasicInfo(watchUrl(id), { requestOptions: oneRetry() });
  const details = basic.videoDetails;
  if (details.isLive !== true && details.liveBroadcastDetails?.isLiveNow !== true) throw error;
  return { ...basic, formats: [] };
}

/** The YouTube `VideoSource`, on @distube/ytdl-core. The only module that imports it. */
export function createYtdlVideoSource(options: YtdlVideoSourceOptions): VideoSource {
  const playerClients = [...PLAYER_CLIENTS];
  const route = (url: string): string => {
    if (options.origin === undefined) return url;
    const target = new URL(url);
    return new URL(target.pathname + target.search, options.origin).toString();
  };

  return {
    name: "youtube",
    parse: parseYouTubeUrl,

    async getInfo(ref, signal) {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const abort = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
      const routed: ExtractionFetch = (url, init) => options.fetch(route(url), { ...init, signal: abort });
      const extraction = withExtractionFetch(routed, () =>
        // One retry: ytdl-core retries failed watch pages with back-off, which the timeout bounds anyway.
        ytdl
          .getInfo(watchUrl(ref.id), { playerClients, requestOptions: oneRetry() })
          .catch((error: unknown) => liveWithoutFiles(ref.id, error)),
      );
      try {
        return toVideoInfo(
          await untilAborted(
            extraction.catch((error) => liveWithoutFiles(ref.id, error)),
            abort,
          ),
        );
      } catch (error) {
        if (timeout.aborted) {
          throw new UpstreamTimeoutError(`YouTube did not answer within ${options.timeoutMs} ms`, {
            cause: error,
          });
        }
        if (signal?.aborted && !(error instanceof DowntubeError)) throw signal.reason;
        throw fromYtdlError(error);
      } finally {
        forgetInYtdl(ref.id);
      }
    },

    async sizeOf(format, signal) {
      if (format.contentLength !== undefined) return format.contentLength;
      return fetchSize({
        fetch: options.fetch,
        url: route(format.url),
        timeoutMs: options.timeoutMs,
        signal,
      });
    },

    async open(_ref, format, range, signal) {
      // Media bytes are fetched by the platform fetch, not by ytdl-core's miniget: ranged reads
      // stream straight into the response and abort with the client.
      const body = await openRanged({
        fetch: options.fetch,
        url: route(format.url),
        range,
        chunkBytes: options.chunkBytes,
        timeoutMs: options.timeoutMs,
        signal,
      });
      return { body };
    },
  };
}
