import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { JobObserver } from "../core/ffmpeg-job.ts";

/** Seconds from starting ffmpeg to its first output bytes. */
const FFMPEG_FIRST_BYTE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15];

/** Outcome of a download-token check, as counted (a used-up token passes the check: its uses are counted apart). */
export type TokenOutcome = "valid" | "invalid" | "expired";

/**
 * The gateway's Prometheus metrics, one registry per gateway (no global default registry, so
 * several gateways in one process, as in the tests, count separately).
 */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];

  const requests = new Counter({
    name: "downtube_http_requests_total",
    help: "HTTP requests answered, by route and status",
    labelNames: ["route", "method", "status"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "downtube_http_request_duration_seconds",
    help: "Time from request to the end of the answer (downloads: the whole transfer)",
    labelNames: ["route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60, 600],
    registers,
  });
  const activeStreams = new Gauge({
    name: "downtube_active_streams",
    help: "Downloads being streamed right now",
    registers,
  });
  const bytesStreamed = new Counter({
    name: "downtube_bytes_streamed_total",
    help: "Media bytes sent to clients",
    registers,
  });
  const offloaded = new Counter({
    name: "downtube_offloaded_downloads_total",
    help: "Downloads answered with X-Accel-Redirect for nginx to carry (their bytes are nginx's to count)",
    registers,
  });
  const firstByte = new Histogram({
    name: "downtube_download_time_to_first_byte_seconds",
    help: "Time from a download request to its first media byte",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const upstreamErrors = new Counter({
    name: "downtube_upstream_errors_total",
    help: "Failures of the origin (YouTube), by error code",
    labelNames: ["code"] as const,
    registers,
  });
  const extraction = new Histogram({
    name: "downtube_extraction_duration_seconds",
    help: "Time to extract a video's metadata from the origin",
    labelNames: ["outcome"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30],
    registers,
  });
  const extractions = new Counter({
    name: "downtube_extractions_total",
    help: "Attempts of each YouTube extractor, by outcome (ok, verdict, challenged, failed, timeout)",
    labelNames: ["extractor", "outcome"] as const,
    registers,
  });
  const challenges = new Counter({
    name: "downtube_youtube_challenges_total",
    help: "Times YouTube pushed back on the requester, by egress and kind (bot_check, po_token_required, media_refused)",
    labelNames: ["egress", "kind"] as const,
    registers,
  });
  const poTokens = new Counter({
    name: "downtube_po_token_requests_total",
    help: "PO tokens asked of the provider, by outcome (ok, failed; skipped: not asked while it rests after a failure)",
    labelNames: ["outcome"] as const,
    registers,
  });
  const cache = new Counter({
    name: "downtube_metadata_cache_lookups_total",
    help: "Metadata cache lookups, by result",
    labelNames: ["result"] as const,
    registers,
  });
  const tokens = new Counter({
    name: "downtube_token_verifications_total",
    help: "Download-token checks, by outcome",
    labelNames: ["outcome"] as const,
    registers,
  });

  let storeUp: () => boolean = () => true;
  new Gauge({
    name: "downtube_store_up",
    help: "1 while the shared store (Redis) answers, 0 while the gateway runs degraded without it",
    registers,
    collect() {
      this.set(storeUp() ? 1 : 0);
    },
  });

  const jobsRunning = new Gauge({
    name: "downtube_ffmpeg_jobs_running",
    help: "Downloads made by ffmpeg (merges, audio files, clips…) running right now, by kind",
    labelNames: ["kind"] as const,
    registers,
  });
  const jobs = new Counter({
    name: "downtube_ffmpeg_jobs_total",
    help: "Downloads made by ffmpeg that ended, by kind and outcome (complete, client_gone, upstream_error, ffmpeg_error)",
    labelNames: ["kind", "outcome"] as const,
    registers,
  });
  const jobFirstByte = new Histogram({
    name: "downtube_ffmpeg_time_to_first_byte_seconds",
    help: "Time from starting ffmpeg to its first output bytes, by kind",
    labelNames: ["kind"] as const,
    buckets: FFMPEG_FIRST_BYTE_BUCKETS,
    registers,
  });
  // The merge-only series of the second round, kept for the dashboards that read them.
  const mergesRunning = new Gauge({
    name: "downtube_merges_running",
    help: "Merged downloads (ffmpeg processes) running right now",
    registers,
  });
  const merges = new Counter({
    name: "downtube_merges_total",
    help: "Merged downloads that ended, by outcome (complete, client_gone, upstream_error, ffmpeg_error)",
    labelNames: ["outcome"] as const,
    registers,
  });
  const mergeFirstByte = new Histogram({
    name: "downtube_merge_time_to_first_byte_seconds",
    help: "Time from starting ffmpeg to its first output bytes",
    buckets: FFMPEG_FIRST_BYTE_BUCKETS,
    registers,
  });
  const ffmpegJob: JobObserver = {
    started(kind) {
      jobsRunning.inc({ kind });
      if (kind === "merge") mergesRunning.inc();
    },
    firstByte(kind, seconds) {
      jobFirstByte.observe({ kind }, seconds);
      if (kind === "merge") mergeFirstByte.observe(seconds);
    },
    ended(kind, outcome) {
      jobsRunning.dec({ kind });
      jobs.inc({ kind, outcome });
      if (kind !== "merge") return;
      mergesRunning.dec();
      merges.inc({ outcome });
    },
  };

  return {
    /** Where `downtube_store_up` reads whether the store answers (asked at each scrape). */
    storeUp(read: () => boolean): void {
      storeUp = read;
    },
    ffmpegJob,
    request(route: string, method: string, status: number, seconds: number): void {
      requests.inc({ route, method, status: String(status) });
      duration.observe({ route }, seconds);
    },
    streamStarted: () => activeStreams.inc(),
    streamEnded(bytes: number): void {
      activeStreams.dec();
      bytesStreamed.inc(bytes);
    },
    downloadOffloaded: () => offloaded.inc(),
    timeToFirstByte: (seconds: number) => firstByte.observe(seconds),
    upstreamError: (code: string) => upstreamErrors.inc({ code }),
    extraction: (seconds: number, outcome: "ok" | "error") => extraction.observe({ outcome }, seconds),
    extractionOutcome: (extractor: string, outcome: string) => extractions.inc({ extractor, outcome }),
    youtubeChallenge: (egress: string, kind: string) => challenges.inc({ egress, kind }),
    poTokenRequest: (outcome: string) => poTokens.inc({ outcome }),
    cacheLookup: (hit: boolean) => cache.inc({ result: hit ? "hit" : "miss" }),
    tokenVerification: (outcome: TokenOutcome) => tokens.inc({ outcome }),
    /** The Prometheus text exposition. */
    async render(): Promise<Response> {
      return new Response(await registry.metrics(), {
        headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
      });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
