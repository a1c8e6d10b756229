import type { Config } from "../config/config.ts";
import type { FfmpegRunner } from "../core/ffmpeg-job.ts";
import type { ListService } from "../core/list-service.ts";
import type { Logger } from "../core/logger.ts";
import type { Clock } from "../core/ports.ts";
import type { Thumbnails } from "../core/thumbnails.ts";
import type { VideoService } from "../core/video-service.ts";
import type { ApiKeys } from "../limits/api-keys.ts";
import type { RateLimiter } from "../limits/rate-limiter.ts";
import type { StreamSlots } from "../limits/stream-slots.ts";
import type { ByteAllowance } from "../tokens/byte-allowance.ts";
import type { DownloadTickets } from "../tokens/download-tickets.ts";
import type { ListCursors } from "../tokens/list-cursors.ts";
import type { TokenService } from "../tokens/token-service.ts";

/** What `/readyz` says of YouTube's view of this instance. */
export interface YouTubeAccessHealth {
  readonly egress: Readonly<Record<string, "ok" | "challenged" | "resting">>;
  readonly poTokenProvider?: "up" | "down" | undefined;
}

/** Everything the routes need; built by the composition root (`gateway.ts`). */
export interface AppDeps {
  readonly videos: VideoService;
  /** Playlists and channels' uploads, and the cursors of their pages. */
  readonly lists: ListService;
  readonly cursors: ListCursors;
  readonly tickets: DownloadTickets;
  readonly tokens: TokenService;
  readonly allowance: ByteAllowance;
  readonly log: Logger;
  /** Milliseconds since the epoch (injected: tests move it). */
  readonly clock: Clock;
  /** GraphQL limits, request size and batch size. */
  readonly config: Pick<
    Config,
    "graphql" | "env" | "limits" | "clients" | "offload" | "cache" | "observability" | "captions"
  >;
  readonly apiKeys: ApiKeys;
  readonly limiter: RateLimiter;
  readonly slots: StreamSlots;
  /** ffmpeg processes running in this instance (`DOWNTUBE_MAX_FFMPEG_JOBS`). */
  readonly ffmpegSlots: StreamSlots;
  /** Makes every download made on the fly (merges, audio files, clips). */
  readonly ffmpeg: FfmpegRunner;
  /** Base of the download URLs handed out; undefined: the origin each request came to. */
  readonly publicUrl: URL | undefined;
  /** False while the gateway drains before it stops. */
  readonly ready: () => boolean;
  /** Whether the shared store (Redis) answers: `up`, `down`, or undefined without one. */
  readonly redisHealth: () => Promise<"up" | "down" | undefined>;
  /**
   * How YouTube treats this instance: each egress `ok`, `challenged` or `resting`, and the
   * PO-token provider `up`/`down` when there is one (shown by `/readyz`).
   */
  readonly youtubeAccess?: () => YouTubeAccessHealth;
  /** Thumbnails of known videos, fetched from their source and cached (`/thumbnail/:videoId`). */
  readonly thumbnails: Thumbnails;
  /** The Prometheus exposition for `/metrics`. */
  readonly metrics: () => Promise<Response>;
}
