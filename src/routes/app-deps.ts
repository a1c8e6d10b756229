import type { Config } from "../config/config.ts";
import type { FfmpegRunner } from "../core/ffmpeg-job.ts";
import type { Logger } from "../core/logger.ts";
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
  readonly config: Pick<Config, "graphql" | "env" | "limits" | "clients" | "offload" | "captions">;
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
  /** The Prometheus exposition for `/metrics`. */
  readonly metrics: () => Promise<Response>;
}
