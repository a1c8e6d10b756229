import type { Config } from "../config/config.ts";
import type { Logger } from "../core/logger.ts";
import type { Merger } from "../core/ports.ts";
import type { Thumbnails } from "../core/thumbnails.ts";
import type { VideoService } from "../core/video-service.ts";
import type { ApiKeys } from "../limits/api-keys.ts";
import type { RateLimiter } from "../limits/rate-limiter.ts";
import type { StreamSlots } from "../limits/stream-slots.ts";
import type { ByteAllowance } from "../tokens/byte-allowance.ts";
import type { DownloadTickets } from "../tokens/download-tickets.ts";
import type { TokenService } from "../tokens/token-service.ts";

/** Everything the routes need; built by the composition root (`gateway.ts`). */
export interface AppDeps {
  readonly videos: VideoService;
  readonly tickets: DownloadTickets;
  readonly tokens: TokenService;
  readonly allowance: ByteAllowance;
  readonly log: Logger;
  /** GraphQL limits, request size and batch size. */
  readonly config: Pick<
    Config,
    "graphql" | "env" | "limits" | "clients" | "offload" | "cache" | "observability"
  >;
  readonly apiKeys: ApiKeys;
  readonly limiter: RateLimiter;
  readonly slots: StreamSlots;
  /** Merges running in this instance (`DOWNTUBE_MAX_MERGES`). */
  readonly mergeSlots: StreamSlots;
  /** Remuxes merged downloads (ffmpeg). */
  readonly merger: Merger;
  /** Base of the download URLs handed out; undefined: the origin each request came to. */
  readonly publicUrl: URL | undefined;
  /** False while the gateway drains before it stops. */
  readonly ready: () => boolean;
  /** Whether the shared store (Redis) answers: `up`, `down`, or undefined without one. */
  readonly redisHealth: () => Promise<"up" | "down" | undefined>;
  /** Thumbnails of known videos, fetched from their source and cached (`/thumbnail/:videoId`). */
  readonly thumbnails: Thumbnails;
  /** The Prometheus exposition for `/metrics`. */
  readonly metrics: () => Promise<Response>;
}
