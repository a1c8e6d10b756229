import type { Server } from "bun";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./core/logger.ts";
import type { Clock } from "./core/ports.ts";
import { createVideoService } from "./core/video-service.ts";
import { createYtdlVideoSource } from "./sources/youtube/ytdl-video-source.ts";
import { createMemoryStore } from "./stores/memory-store.ts";

/** The outside world the gateway is given: how to reach origins, what time it is, where logs go. */
export interface Platform {
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface RunningGateway {
  /** Where it listens, e.g. `http://127.0.0.1:4000/`. */
  readonly url: URL;
  readonly server: Server<undefined>;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
}

/**
 * Composes the gateway from a config and a platform and starts it on `Bun.serve`. Used by
 * `server.ts` and, with port 0, by the integration tests: both run the same composition.
 */
export function startGateway(config: Config, platform: Platform): RunningGateway {
  const store = createMemoryStore({ maxEntries: config.cache.maxEntries, clock: platform.clock });
  const youtube = createYtdlVideoSource({
    origin: config.youtube.origin,
    timeoutMs: config.youtube.timeoutMs,
    fetch: platform.fetch,
  });
  const videos = createVideoService({
    sources: [youtube],
    store,
    cacheTtlMs: config.cache.ttlSeconds * 1000,
  });
  const app = createApp({ videos, log: platform.log, maxBatch: config.limits.maxBatch });

  const server = Bun.serve({
    hostname: config.host,
    port: config.port,
    // Bun closes connections idle for 10 s by default; an extraction may legitimately take longer.
    idleTimeout: Math.min(255, Math.ceil(config.youtube.timeoutMs / 1000) + 10),
    routes: app.routes,
    fetch: app.fallback,
  });
  return {
    url: new URL(server.url),
    server,
    stop: () => server.stop(true),
  };
}
