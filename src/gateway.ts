import http from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "./app.ts";
import type { Config } from "./config/config.ts";
import { createExpiringMap } from "./core/expiring-map.ts";
import { createListService } from "./core/list-service.ts";
import { firstVideosOf } from "./core/list-videos.ts";
import { describeError, type Logger } from "./core/logger.ts";
import { createMetadataMemory } from "./core/metadata-memory.ts";
import type { Clock, NameResolver, VideoSource } from "./core/ports.ts";
import { createSharedExtraction } from "./core/shared-extraction.ts";
import { createThumbnails } from "./core/thumbnails.ts";
import { createVideoService, DEFAULT_EGRESS_ID } from "./core/video-service.ts";
import { createLifecycle } from "./http/lifecycle.ts";
import { listen } from "./http/listen.ts";
import { failResponse, toNodeListener } from "./http/node-listener.ts";
import { createApiKeys } from "./limits/api-keys.ts";
import { createRateLimiter } from "./limits/rate-limiter.ts";
import { createStreamSlots } from "./limits/stream-slots.ts";
import { createFfmpegRunner } from "./media/ffmpeg-runner.ts";
import { createRequestObserver } from "./observability/http-observer.ts";
import { instrumentSource, instrumentTokens } from "./observability/instrument.ts";
import { createMetrics } from "./observability/metrics.ts";
import { requestAwareLogger, withRequestContext } from "./observability/request-context.ts";
import { createHttpVideoSource } from "./sources/http/http-video-source.ts";
import { createOriginConnections } from "./sources/origin-connections.ts";
import { createRedirectMemo } from "./sources/redirect-memo.ts";
import { fetchThrough } from "./sources/youtube/egress-fetch.ts";
import { createYouTubeExtractors } from "./sources/youtube/named-extractors.ts";
import { createPlayerSandbox } from "./sources/youtube/player-sandbox-client.ts";
import { createYouTubeAccess } from "./sources/youtube/youtube-access.ts";
import { createYouTubeVideoSource } from "./sources/youtube/youtube-video-source.ts";
import { createYouTubeIPlaylistSource } from "./sources/youtube/youtubei-playlist-source.ts";
import { createRedisStore } from "./stores/redis-store.ts";
import { createStoresByUse } from "./stores/store-uses.ts";
import { createByteAllowance } from "./tokens/byte-allowance.ts";
import { createDownloadTickets } from "./tokens/download-tickets.ts";
import { createListCursors } from "./tokens/list-cursors.ts";
import { randomTokenSecret, tokenSecretsFrom } from "./tokens/token-secrets.ts";
import { createTokenService } from "./tokens/token-service.ts";

/** The outside world the gateway is given: how to reach origins, what time it is, where logs go. */
export interface Platform {
  readonly fetch: (input: string, init: BunFetchRequestInit) => Promise<Response>;
  /** Name lookups of the direct-URL source (every address of a name, checked before connecting). */
  readonly resolve: NameResolver;
  readonly clock: Clock;
  readonly log: Logger;
  /** A random, unguessable id (token ids). */
  readonly randomId: () => string;
}

/**
 * How long a media URL's redirect target (YouTube) or located address (direct URLs) is reused
 * before the origin is asked again.
 */
const REDIRECT_MEMO_TTL_MS = 5 * 60_000;

/**
 * How long parsed metadata is answered from the process's memory before the store (shared with
 * other instances through Redis) is asked again.
 */
const METADATA_MEMORY_TTL_MS = 30_000;

/** What picks the egress of list reads from the pool (a stable choice, like a video id's). */
const LIST_EGRESS_KEY = "playlists";

export interface RunningGateway {
  /** Where it listens, e.g. `http://127.0.0.1:4000/`. */
  readonly url: URL;
  /**
   * Stops gracefully: answers /readyz with 503 (on new connections too), closes each connection
   * after its answer, lets the requests in flight (downloads) finish for up to `shutdownGraceMs`,
   * then stops listening and closes what is left.
   */
  stop(): Promise<void>;
}

/**
 * Composes the gateway from a config and a platform and starts listening. Used by `server.ts`
 * and, with port 0, by the integration tests: both run the same composition.
 *
 * The listener is Bun's `node:http` server rather than `Bun.serve`: Bun.serve 1.4.5 drops the
 * Content-Length of every streamed body (oven-sh/bun#10507) and frames it chunked, so browsers
 * would show no size or progress. The app itself stays a plain fetch handler (`toNodeListener`).
 * Throws `ListenError` when it cannot listen on `config.host:config.port`.
 */
export async function startGateway(config: Config, platform: Platform): Promise<RunningGateway> {
  const { clock } = platform;
  const log = requestAwareLogger(platform.log);
  const metrics = createMetrics();
  const stores = createStoresByUse({
    redis:
      config.redisUrl === undefined
        ? undefined
        : createRedisStore(config.redisUrl, {
            commandTimeoutMs: config.redis.timeoutMs,
            probeIntervalMs: config.redis.probeMs,
            onHealthChange: (up) =>
              up ? log.info("Redis answers again") : log.warn("Redis does not answer: running degraded"),
          }),
    maxEntries: config.cache.maxEntries,
    clock,
    randomId: platform.randomId,
  });
  metrics.storeUp(() => stores.redisHealth() !== "down");
  // YouTube's player code (youtubei.js deciphering) runs in a child process, started on first use.
  const playerSandbox = createPlayerSandbox({ timeoutMs: config.youtube.timeoutMs });
  const access = createYouTubeAccess({
    ...config.youtubeAccess,
    egressId: config.egressId,
    randomId: platform.randomId,
    timeoutMs: config.youtube.timeoutMs,
    fetch: platform.fetch,
    clock,
    log,
    onPoTokenRequest: metrics.poTokenRequest,
  });
  // Ranges in flight per download, and one cap on origin connections per egress for every source.
  const parallel = {
    ranges: config.origin.parallelRanges,
    connections: createOriginConnections({ maxPerEgress: config.origin.maxConnections }),
  };
  const youtube = createYouTubeVideoSource({
    extractors: createYouTubeExtractors(config.youtube.extractors, { runPlayerCode: playerSandbox.run }),
    origin: config.youtube.origin,
    timeoutMs: config.youtube.timeoutMs,
    chunkBytes: config.youtube.chunkBytes,
    parallel,
    fetch: platform.fetch,
    ...access,
    clock,
    maxEntries: config.cache.maxEntries,
    log,
    onExtraction: metrics.extractionOutcome,
    onChallenge: metrics.youtubeChallenge,
    redirects: createRedirectMemo({
      clock,
      ttlMs: REDIRECT_MEMO_TTL_MS,
      maxEntries: config.cache.maxEntries,
    }),
  });
  const sources: VideoSource[] = [youtube];
  if (config.httpSource.hosts.length > 0) {
    // Counts only: the lists themselves may name internal hosts.
    log.info("direct media URLs are on", {
      hosts: config.httpSource.hosts.length,
      allowedAddressBlocks: config.httpSource.allowedAddresses.length,
    });
    sources.push(
      createHttpVideoSource({
        ...config.httpSource,
        timeoutMs: config.youtube.timeoutMs,
        chunkBytes: config.youtube.chunkBytes,
        parallel,
        egressId: config.egressId,
        fetch: platform.fetch,
        resolve: platform.resolve,
        locations: createExpiringMap({
          clock,
          ttlMs: REDIRECT_MEMO_TTL_MS,
          maxEntries: config.cache.maxEntries,
        }),
      }),
    );
  }
  const shared = createSharedExtraction({
    lock: stores.lock,
    // A holder that died frees the lock once its extraction would have timed out anyway.
    lockTtlMs: config.youtube.timeoutMs + 1000,
    maxWaitMs: config.youtube.timeoutMs,
    pollMs: 50,
    sleep: (ms) => Bun.sleep(ms),
    clock,
  });
  const videos = createVideoService({
    sources: sources.map((source) => instrumentSource(source, metrics)),
    store: stores.cache,
    cacheTtlMs: config.cache.ttlSeconds * 1000,
    // With proxies, the egress is chosen per video (the same on every instance) and recorded in the
    // metadata: one entry per video. Without, DOWNTUBE_EGRESS_ID keeps entries per address.
    egressId: config.youtubeAccess.egressProxies.length > 0 ? DEFAULT_EGRESS_ID : config.egressId,
    shared,
    onCacheLookup: metrics.cacheLookup,
    memory: createMetadataMemory({
      clock,
      ttlMs: Math.min(config.cache.ttlSeconds * 1000, METADATA_MEMORY_TTL_MS),
      maxEntries: config.cache.maxEntries,
    }),
  });

  if (config.tokens.secrets === undefined) {
    log.warn(
      "DOWNTUBE_TOKEN_SECRETS is not set: download tokens are signed with a random secret of this process, " +
        "so they stop working at restart and on other instances. Set it in production.",
    );
  }
  const secrets = tokenSecretsFrom(config.tokens.secrets ?? [randomTokenSecret()]);
  const tokens = instrumentTokens(
    createTokenService({
      secrets,
      clock,
      randomId: platform.randomId,
    }),
    metrics,
  );
  const ffmpeg = createFfmpegRunner({ command: config.ffmpeg.command, log, observer: metrics.ffmpegJob });
  void ffmpeg.available().then((found) => {
    if (!found)
      log.warn(
        `ffmpeg not found (DOWNTUBE_FFMPEG=${config.ffmpeg.command}): downloads made on the fly answer ` +
          "FFMPEG_UNAVAILABLE (MERGE_UNAVAILABLE for MERGED); everything else works. Install ffmpeg or point DOWNTUBE_FFMPEG at it.",
      );
  });
  const lists = createListService({
    source: createYouTubeIPlaylistSource({
      origin: config.youtube.origin,
      timeoutMs: config.youtube.timeoutMs,
      // Lists carry no address-bound URLs: they leave through one egress, with the cookies.
      fetch: fetchThrough(platform.fetch, access.egresses.choose(LIST_EGRESS_KEY), access.cookies),
      cookies: access.cookies,
      log,
    }),
    store: stores.cache,
    cacheTtlMs: config.cache.ttlSeconds * 1000,
    shared,
  });
  const tickets = createDownloadTickets({
    videos,
    tokens,
    ttlSeconds: config.tokens.ttlSeconds,
    maxTtlSeconds: config.tokens.maxTtlSeconds,
    canRunFfmpeg: () => ffmpeg.available(),
    maxArchiveItems: config.archives.maxItems,
    listVideos: (url, max) => firstVideosOf(lists, url, max),
  });
  const lifecycle = createLifecycle();
  const app = createApp({
    videos,
    lists,
    cursors: createListCursors(secrets),
    tickets,
    tokens,
    allowance: createByteAllowance(stores.tokenUses, clock),
    log,
    clock,
    config,
    publicUrl: config.publicUrl,
    ready: lifecycle.ready,
    redisHealth: async () => {
      await stores.check();
      return stores.redisHealth();
    },
    metrics: metrics.render,
    youtubeAccess: () => ({ egress: access.egresses.states(), poTokenProvider: access.poTokens?.health() }),
    thumbnails: createThumbnails({
      videos,
      store: stores.cache,
      ttlMs: config.cache.ttlSeconds * 1000,
    }),
    apiKeys: createApiKeys(config.clients.apiKeys),
    limiter: createRateLimiter({
      store: stores.rateLimits,
      clock,
      windowMs: config.clients.rateWindowMs,
      limits: config.clients.rateLimits,
    }),
    slots: createStreamSlots({
      total: config.clients.maxStreams,
      perClient: config.clients.maxStreamsPerClient,
    }),
    ffmpegSlots: createStreamSlots({ total: config.ffmpeg.maxJobs, perClient: config.ffmpeg.maxJobs }),
    ffmpeg,
  });

  const listener = toNodeListener(app.fetch, log);
  const observe = createRequestObserver({ metrics, log, routeOf: app.routeOf, newId: platform.randomId });
  const server = http.createServer((req, res) => {
    lifecycle.track(res);
    // While draining, answers still go out, but no connection is kept for another request.
    if (lifecycle.draining()) res.setHeader("Connection", "close");
    try {
      const { requestId, hooks } = observe(req, res);
      void withRequestContext(requestId, () => listener(req, res, hooks));
    } catch (error) {
      // Nothing thrown here may escape: an uncaught error would stop the whole gateway.
      log.error("a request could not be handled", describeError(error));
      failResponse(res);
    }
  });
  await listen(server, config.port, config.host);
  let stopping: Promise<void> | undefined;
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    url: new URL(`http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}/`),
    stop() {
      stopping ??= stopGracefully();
      return stopping;
    },
  };

  async function stopGracefully(): Promise<void> {
    // The port stays open while draining: a load balancer's next /readyz is answered 503 (not
    // refused, which some count as a crash), and a request it still sends meanwhile is served,
    // each on a connection closed after its answer. Idle kept-alive connections go now.
    server.closeIdleConnections();
    const drained = lifecycle.drain();
    log.info("draining", { activeRequests: lifecycle.active(), graceMs: config.shutdownGraceMs });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, config.shutdownGraceMs);
    });
    await Promise.race([drained, graceOver]);
    clearTimeout(timer);
    if (lifecycle.active() > 0)
      log.warn("grace period over; closing the remaining requests", { activeRequests: lifecycle.active() });
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    // Closing the connections ends their merges; whatever ffmpeg is left is ended here, and
    // waited for, so that none outlives the gateway.
    await ffmpeg.close();
    await closed;
    stores.close();
    await playerSandbox.stop();
  }
}
