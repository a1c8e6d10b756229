import type { FfmpegJob } from "../core/ffmpeg-job.ts";
import type { ByteRange } from "../core/ports.ts";

/** Response headers as a plan settles them: the responder writes them as they are. */
export type PlanHeaders = Readonly<Record<string, string>>;

/**
 * Nothing to send but headers: a `HEAD` (of any kind of download) or an empty file. Neither the
 * origin's bytes nor ffmpeg are touched.
 */
export interface HeadersOnly {
  readonly kind: "headers-only";
  readonly status: 200 | 206;
  readonly headers: PlanHeaders;
}

/**
 * Fixed bytes of a known size, carried by the gateway: one format of one video, or a range of it.
 * The headers hold the exact Content-Length (and Content-Range for a 206).
 */
export interface GatewayFile {
  readonly kind: "gateway-file";
  readonly status: 200 | 206;
  readonly headers: PlanHeaders;
  readonly range: ByteRange;
  /**
   * Opens exactly `range`, metered against the token's allowance; resolves once the origin has
   * answered, so a failure before the first byte is a JSON error, not a short body.
   */
  open(signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

/**
 * Fixed bytes carried by nginx (`DOWNTUBE_OFFLOAD=nginx`): the headers are an empty answer whose
 * `X-Accel-Redirect` names the internal location, the media's address, the ETag and the
 * Content-Disposition; nginx handles Range itself against the size the origin reports.
 */
export interface OffloadedFile {
  readonly kind: "offloaded-file";
  readonly headers: PlanHeaders;
}

/**
 * A download made while it is sent, by ffmpeg: a merge, an audio file, a clip. No size is known
 * in advance, so there is no Range, no ETag and no Content-Length (chunked framing, so a cut is
 * visible). The status line goes out only after ffmpeg's first output bytes.
 */
export interface FfmpegStream {
  readonly kind: "ffmpeg-stream";
  readonly headers: PlanHeaders;
  /** The job; its inputs are metered against the token's allowance. */
  readonly job: FfmpegJob;
}

/**
 * What redeeming a token comes to: the single decision of a download. Everything is settled
 * here (the format, `maxUses`, Range, HEAD, where the bytes come from); each kind has one
 * responder, which only writes. A new kind of download is a new variant, never a new branch in
 * a responder.
 */
export type DownloadPlan = HeadersOnly | GatewayFile | OffloadedFile | FfmpegStream;
