import ytdl from "@distube/ytdl-core";
import { DowntubeError, UpstreamTimeoutError } from "../../core/errors.ts";
import { locationOfUrl } from "../../core/media-location.ts";
import type { VideoSource } from "../../core/ports.ts";
import { fetchSize, requestRange } from "../origin-request.ts";
import { openRanged } from "../ranged-fetch.ts";
import type { RedirectMemo } from "../redirect-memo.ts";
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
  /** Which YouTube player clients to ask for formats. */
  readonly playerClients?: readonly PlayerClient[];
  /** Where media URLs were redirected to lately, so later downloads skip the redirect. */
  readonly redirects: RedirectMemo;
}

/** Hosts a real YouTube media URL may lead a proxy to (googlevideo's, after any redirect). */
const isGoogleVideoHost = (hostname: string) => hostname.endsWith(".googlevideo.com");

/**
 * The WEB client reads formats from the watch page itself, the others ask the youtubei player
 * API: asking both gives formats even when one of them is refused.
 */
const DEFAULT_CLIENTS: readonly PlayerClient[] = ["WEB", "WEB_EMBEDDED", "IOS", "ANDROID", "TV"];

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

/** Rejects as soon as `signal` aborts, whatever `work` is still doing in the background. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The YouTube `VideoSource`, on @distube/ytdl-core. The only module that imports it. */
export function createYtdlVideoSource(options: YtdlVideoSourceOptions): VideoSource {
  const playerClients = [...(options.playerClients ?? DEFAULT_CLIENTS)];
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
        ytdl.getInfo(watchUrl(ref.id), { playerClients, requestOptions: oneRetry() }),
      );
      try {
        return toVideoInfo(await untilAborted(extraction, abort));
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
      const url = route(format.url);
      const body = await openRanged({
        fetch: options.fetch,
        url: options.redirects.resolve(url),
        onAnswered: (target) => options.redirects.learn(url, target),
        range,
        chunkBytes: options.chunkBytes,
        timeoutMs: options.timeoutMs,
        signal,
      });
      return { body };
    },

    async locate(_ref, format, signal) {
      const url = route(format.url);
      if (!options.redirects.knows(url)) {
        // One byte asked for, to learn where the media really is (and that the URL still works).
        const probe = await requestRange(options, url, 0, 0, signal);
        await probe.body?.cancel();
        options.redirects.learn(url, probe.url || url);
      }
      const target = new URL(options.redirects.resolve(url));
      // With a simulated origin, wherever it sent the gateway is where the gateway would go.
      if (options.origin === undefined && !isGoogleVideoHost(target.hostname)) return undefined;
      return locationOfUrl(target);
    },
  };
}
