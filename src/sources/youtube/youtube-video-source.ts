import {
  type ChallengeKind,
  DowntubeError,
  MediaUrlExpiredError,
  UpstreamError,
  UpstreamTimeoutError,
  YouTubeChallengeError,
} from "../../core/errors.ts";
import { describeError, type Logger } from "../../core/logger.ts";
import { locationOfUrl } from "../../core/media-location.ts";
import type { Clock, VideoSource } from "../../core/ports.ts";
import type { MediaFormat, VideoInfo } from "../../core/video.ts";
import { fetchImage, MAX_THUMBNAIL_BYTES } from "../image-fetch.ts";
import { fetchSize, requestRange } from "../origin-request.ts";
import { openRanged } from "../ranged-fetch.ts";
import type { RedirectMemo } from "../redirect-memo.ts";
import { untilAborted } from "../until-aborted.ts";
import type { YouTubeCookies } from "./cookie-file.ts";
import { type EgressFetch, fetchThrough, hasPot, withPot } from "./egress-fetch.ts";
import type { Egress, EgressPool } from "./egress-pool.ts";
import { isVerdict } from "./extraction-verdict.ts";
import type { PoToken, PoTokens } from "./po-tokens.ts";
import { fetchTimedtext } from "./timedtext.ts";
import { createChallenger, createMediaRefusals } from "./youtube-challenges.ts";
import type { ExtractionAccess, ExtractionFetch, YouTubeExtractor } from "./youtube-extractor.ts";
import { createYouTubeFetch, routeToOrigin } from "./youtube-fetch.ts";
import { parseYouTubeUrl } from "./youtube-url.ts";

/** How one extractor's attempt at one video ended, as counted. */
export type ExtractionOutcome = "ok" | "verdict" | "challenged" | "failed" | "timeout";

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
  readonly fetch: EgressFetch;
  /** Largest range asked of googlevideo in one media request, in bytes. */
  readonly chunkBytes: number;
  /** Where media URLs were redirected to lately, so later downloads skip the redirect. */
  readonly redirects: RedirectMemo;
  /** The ways out to YouTube; a video's metadata and media always leave through the same one. */
  readonly egresses: EgressPool;
  /** PO tokens for extractions (static or from a provider); none when undefined. */
  readonly poTokens?: PoTokens | undefined;
  /** Cookies for YouTube's domains; none when undefined. */
  readonly cookies?: YouTubeCookies | undefined;
  readonly clock: Clock;
  /** Most media URLs remembered to tell an expired URL from a challenge. */
  readonly maxEntries: number;
  readonly log: Logger;
  /** Told of every extractor's attempt (metrics). */
  readonly onExtraction?: (extractor: string, outcome: ExtractionOutcome) => void;
  /** Told of every challenge answered to a client (metrics). */
  readonly onChallenge?: (egress: string, kind: ChallengeKind) => void;
}

/**
 * The YouTube `VideoSource`: metadata from the configured extractors, tried in order (a verdict
 * about the video ends the search, a failure or a challenge moves on to the next one), and the
 * bytes read by one implementation (ranged requests, timeouts, origin routing) whatever
 * extracted the URL. Each video leaves through one egress, chosen by its id: its media URLs are
 * bound to that egress's address, so the bytes go through it too (recorded on each format).
 */
export function createYouTubeVideoSource(options: YouTubeVideoSourceOptions): VideoSource {
  const { log, origin, egresses } = options;
  const report = (extractor: string, outcome: ExtractionOutcome) =>
    options.onExtraction?.(extractor, outcome);
  const refusals = createMediaRefusals({ clock: options.clock, maxEntries: options.maxEntries });
  const direct = egresses.all.find((egress) => egress.proxy === undefined);

  const through = (egress: Egress) => fetchThrough(options.fetch, egress, options.cookies);

  const challenged = createChallenger({
    egresses,
    poTokens: options.poTokens,
    cookies: options.cookies !== undefined,
    log,
    onChallenge: options.onChallenge,
  });

  /** The info as extracted through `egress`: each format records it, and carries the token. */
  const stamped = (info: VideoInfo, egress: Egress, token: PoToken | undefined): VideoInfo => {
    const formats: MediaFormat[] = info.formats.map((format) => ({
      ...format,
      url: format.isManifest ? format.url : withPot(format.url, token),
      egress: egress.id,
    }));
    refusals.extracted(formats.map((format) => format.url));
    return { ...info, formats };
  };

  const extract = async (id: string, signal: AbortSignal | undefined): Promise<VideoInfo> => {
    const egress = egresses.choose(id);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const abort = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    const youtubeFetch = createYouTubeFetch({ fetch: through(egress), origin, cookies: options.cookies });
    // A request that could not connect at all (no network, a name that does not resolve): the
    // answer then says YouTube could not be reached, whatever each extractor made of it.
    let unreachable = false;
    const fetch: ExtractionFetch = (url, init) =>
      youtubeFetch(url, { ...init, signal: abort }).catch((error: unknown) => {
        if (!abort.aborted && !(error instanceof DowntubeError)) unreachable = true;
        throw error;
      });
    let token: PoToken | undefined;
    try {
      token = await options.poTokens?.tokenFor(id, egress, abort);
    } catch (error) {
      if (timeout.aborted)
        throw new UpstreamTimeoutError("the PO-token provider took the whole extraction budget");
      throw error;
    }
    const access: ExtractionAccess = {
      poToken: token?.token,
      visitorData: token?.visitorData,
      cookie: await options.cookies?.headerFor("https://www.youtube.com/"),
    };
    let failure: DowntubeError = new UpstreamError("no YouTube extractor is configured");
    let challenge: YouTubeChallengeError | undefined;
    for (const extractor of options.extractors) {
      try {
        const info = await untilAborted(extractor.extract(id, fetch, abort, access), abort);
        report(extractor.name, "ok");
        egresses.succeeded(egress.id);
        log.info("video extracted", { videoId: id, extractor: extractor.name, egress: egress.id });
        return stamped(info, egress, token);
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
        if (error instanceof YouTubeChallengeError) {
          // About the requester: the next extractor may show YouTube what this one could not.
          report(extractor.name, "challenged");
          challenge ??= error;
          continue;
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
    if (challenge !== undefined) throw challenged(egress, challenge.kind, challenge, token !== undefined);
    if (unreachable)
      throw new UpstreamError(
        "YouTube could not be reached: no network connection, or its name does not resolve",
        {
          cause: failure,
        },
      );
    throw failure;
  };

  /** The egress a format's URL is bound to; an unknown one (another instance's) needs a fresh URL. */
  const egressOf = (format: MediaFormat): Egress => {
    const egress = format.egress === undefined ? direct : egresses.byId(format.egress);
    if (egress === undefined)
      throw new MediaUrlExpiredError(
        "the media URL was extracted through an egress this instance does not have",
      );
    return egress;
  };

  /** Runs a media request; a 403 that a fresh extraction did not fix becomes a challenge. */
  const media = async <T>(videoId: string, format: MediaFormat, use: (fetch: EgressFetch) => Promise<T>) => {
    const egress = egressOf(format);
    try {
      return await use(through(egress));
    } catch (error) {
      if (error instanceof MediaUrlExpiredError && refusals.refusedIsChallenge(videoId, format.url)) {
        throw challenged(egress, "media_refused", error, hasPot(format.url));
      }
      throw error;
    }
  };

  return {
    name: "youtube",
    parse: parseYouTubeUrl,
    getInfo: (ref, signal) => extract(ref.id, signal),

    async sizeOf(format, signal) {
      if (format.contentLength !== undefined) return format.contentLength;
      const fetch = through(egressOf(format));
      return fetchSize({
        fetch,
        url: routeToOrigin(format.url, origin),
        timeoutMs: options.timeoutMs,
        signal,
      });
    },

    async open(ref, format, range, signal) {
      // Media bytes are fetched by the platform fetch, not by an extractor: ranged reads stream
      // straight into the response and abort with the client.
      const url = routeToOrigin(format.url, origin);
      const body = await media(ref.id, format, (fetch) =>
        openRanged({
          fetch,
          url: options.redirects.resolve(url),
          onAnswered: (target) => options.redirects.learn(url, target),
          range,
          chunkBytes: options.chunkBytes,
          timeoutMs: options.timeoutMs,
          signal,
        }),
      );
      return { body };
    },

    captions: (ref, track, request, signal) =>
      fetchTimedtext(
        createYouTubeFetch({ fetch: through(egresses.choose(ref.id)), origin, cookies: options.cookies }),
        track,
        request,
        options.timeoutMs,
        signal,
      ),

    async locate(ref, format, signal) {
      // nginx cannot go through a forward proxy: a proxy egress's bytes are served by the gateway.
      if (egressOf(format).proxy !== undefined) return undefined;
      const url = routeToOrigin(format.url, origin);
      if (!options.redirects.knows(url)) {
        // One byte asked for, to learn where the media really is (and that the URL still works).
        const probe = await media(ref.id, format, (fetch) =>
          requestRange({ fetch, timeoutMs: options.timeoutMs }, url, 0, 0, signal),
        );
        await probe.body?.cancel();
        options.redirects.learn(url, probe.url || url);
      }
      const target = new URL(options.redirects.resolve(url));
      // With a simulated origin, wherever it sent the gateway is where the gateway would go.
      if (origin === undefined && !isGoogleVideoHost(target.hostname)) return undefined;
      return locationOfUrl(target);
    },

    thumbnail(ref, thumbnail, signal) {
      // Through the metadata fetch of the video's egress: i.ytimg.com is one of YouTube's hosts,
      // checked, routed and proxied alike.
      const youtubeFetch = createYouTubeFetch({
        fetch: through(egresses.choose(ref.id)),
        origin,
        cookies: options.cookies,
      });
      const image = { fetch: youtubeFetch, timeoutMs: options.timeoutMs, maxBytes: MAX_THUMBNAIL_BYTES };
      return fetchImage(image, thumbnail.url, signal);
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
