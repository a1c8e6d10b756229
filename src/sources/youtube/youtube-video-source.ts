import {
  DowntubeError,
  FormatNotFoundError,
  UpstreamError,
  UpstreamTimeoutError,
} from "../../core/errors.ts";
import { describeError, type Logger } from "../../core/logger.ts";
import { locationOfUrl } from "../../core/media-location.ts";
import type { VideoSource } from "../../core/ports.ts";
import type { VideoInfo } from "../../core/video.ts";
import { fetchSize, requestRange } from "../origin-request.ts";
import { openRanged, type ParallelReads } from "../ranged-fetch.ts";
import type { RedirectMemo } from "../redirect-memo.ts";
import { untilAborted } from "../until-aborted.ts";
import { isVerdict } from "./extraction-verdict.ts";
import type { ExtractionFetch, YouTubeExtractor } from "./youtube-extractor.ts";
import { createYouTubeFetch, routeToOrigin } from "./youtube-fetch.ts";
import { parseYouTubeUrl } from "./youtube-url.ts";

/** How one extractor's attempt at one video ended, as counted. */
export type ExtractionOutcome = "ok" | "verdict" | "failed" | "timeout";

export interface YouTubeVideoSourceOptions {
  /** Extractors in fallback order: the next one is tried only when the one before failed. */
  readonly extractors: readonly YouTubeExtractor[];
  /**
   * When set, every request goes to this origin (same path and query) instead of YouTube's
   * hosts: the simulated YouTube in tests and in the offline demo.
   */
  readonly origin: URL | undefined;
  /** Budget for one whole extraction, all extractors and requests together, in milliseconds. */
  readonly timeoutMs: number;
  /** The platform fetch; injected so the adapter holds no global. */
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** Largest range asked of googlevideo in one media request, in bytes. */
  readonly chunkBytes: number;
  /** Ranges in flight per download and the per-egress connection cap (one range at a time without). */
  readonly parallel?: ParallelReads;
  /**
   * The egress media requests leave from, the key of the connection cap. A source that picks an
   * egress per download passes that one's id here instead. @default "default"
   */
  readonly egressId?: string;
  /** Where media URLs were redirected to lately, so later downloads skip the redirect. */
  readonly redirects: RedirectMemo;
  readonly log: Logger;
  /** Told of every extractor's attempt (metrics). */
  readonly onExtraction?: (extractor: string, outcome: ExtractionOutcome) => void;
}

/**
 * The YouTube `VideoSource`: metadata from the configured extractors, tried in order (a verdict
 * about the video ends the search, a failure of an extractor moves on to the next one), and
 * the bytes read by one implementation (ranged requests, timeouts, origin routing) whatever
 * extracted the URL.
 */
export function createYouTubeVideoSource(options: YouTubeVideoSourceOptions): VideoSource {
  const { log, origin } = options;
  const youtubeFetch = createYouTubeFetch({ fetch: options.fetch, origin });
  const report = (extractor: string, outcome: ExtractionOutcome) =>
    options.onExtraction?.(extractor, outcome);

  const extract = async (id: string, signal: AbortSignal | undefined): Promise<VideoInfo> => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const abort = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    const fetch: ExtractionFetch = (url, init) => youtubeFetch(url, { ...init, signal: abort });
    let failure: DowntubeError = new UpstreamError("no YouTube extractor is configured");
    for (const extractor of options.extractors) {
      try {
        const info = await untilAborted(extractor.extract(id, fetch, abort), abort);
        report(extractor.name, "ok");
        log.info("video extracted", { videoId: id, extractor: extractor.name });
        return info;
      } catch (error) {
        if (timeout.aborted) {
          report(extractor.name, "timeout");
          throw new UpstreamTimeoutError(`YouTube did not answer within ${options.timeoutMs} ms`, {
            cause: error,
          });
        }
        if (signal?.aborted && !(error instanceof DowntubeError)) throw signal.reason;
        if (isVerdict(error)) {
          report(extractor.name, "verdict");
          log.info("video refused by YouTube", {
            videoId: id,
            extractor: extractor.name,
            code: codeOf(error),
          });
          throw error;
        }
        report(extractor.name, "failed");
        log.warn("extractor failed; trying the next one", {
          videoId: id,
          extractor: extractor.name,
          ...describeError(error),
        });
        failure =
          error instanceof DowntubeError
            ? error
            : new UpstreamError("could not read this video from YouTube", { cause: error });
      }
    }
    throw failure;
  };

  return {
    name: "youtube",
    parse: parseYouTubeUrl,
    getInfo: (ref, signal) => extract(ref.id, signal),

    async sizeOf(format, signal) {
      if (format.contentLength !== undefined) return format.contentLength;
      return fetchSize({
        fetch: options.fetch,
        url: routeToOrigin(format.url, origin),
        timeoutMs: options.timeoutMs,
        signal,
      });
    },

    async open(ref, format, range, signal) {
      // Media bytes are fetched by the platform fetch, not by an extractor: ranged reads stream
      // straight into the response and abort with the client.
      const url = routeToOrigin(format.url, origin);
      const body = await openRanged({
        fetch: options.fetch,
        url: options.redirects.resolve(url),
        onAnswered: (target) => options.redirects.learn(url, target),
        range,
        chunkBytes: options.chunkBytes,
        timeoutMs: options.timeoutMs,
        signal,
        parallel: options.parallel,
        egressId: options.egressId,
        // Refused mid-download (the URL expired meanwhile): the same format of a fresh extraction.
        refresh: async (refreshSignal) => {
          const info = await extract(ref.id, refreshSignal);
          const fresh = info.formats.find((f) => f.itag === format.itag);
          if (fresh === undefined) throw new FormatNotFoundError("this video no longer offers the format");
          return routeToOrigin(fresh.url, origin);
        },
      });
      return { body };
    },

    async locate(_ref, format, signal) {
      const url = routeToOrigin(format.url, origin);
      if (!options.redirects.knows(url)) {
        // One byte asked for, to learn where the media really is (and that the URL still works).
        const probe = await requestRange(
          { fetch: options.fetch, timeoutMs: options.timeoutMs },
          url,
          0,
          0,
          signal,
        );
        await probe.body?.cancel();
        options.redirects.learn(url, probe.url || url);
      }
      const target = new URL(options.redirects.resolve(url));
      // With a simulated origin, wherever it sent the gateway is where the gateway would go.
      if (origin === undefined && !isGoogleVideoHost(target.hostname)) return undefined;
      return locationOfUrl(target);
    },
  };
}

/** Hosts a real YouTube media URL may lead a proxy to (googlevideo's, after any redirect). */
function isGoogleVideoHost(hostname: string): boolean {
  return hostname.endsWith(".googlevideo.com");
}

function codeOf(error: unknown): string | undefined {
  return error instanceof DowntubeError ? error.code : undefined;
}
