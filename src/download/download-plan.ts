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

/** One entry of an archive: its name, its exact size when known, and where its bytes come from. */
export interface ArchiveEntry {
  /** `NN - Title.ext`, sanitised. */
  readonly name: string;
  /** Exact size in bytes; undefined for an entry ffmpeg makes. */
  readonly size: number | undefined;
  /** The entry's own plan: a file's bytes, or a job ffmpeg runs. */
  readonly bytes: GatewayFile | FfmpegStream;
}

/**
 * Several downloads, one after another, in one stored ZIP (`prepareArchive`). When every entry's
 * size is known the Content-Length is exact; otherwise it is chunked. Range is ignored.
 */
export interface ArchiveStream {
  readonly kind: "archive-stream";
  readonly headers: PlanHeaders;
  readonly entries: readonly ArchiveEntry[];
  /** Items that could not be planned, one line each: written as `downtube-errors.txt` at the end. */
  readonly failures: readonly string[];
  /**
   * Whether the Content-Length is exact: then an entry that fails later cuts the response (the
   * length shows the cut); otherwise it is skipped and named in `downtube-errors.txt`.
   */
  readonly exactLength: boolean;
  /** Whether some entry is made by ffmpeg (the archive then holds one ffmpeg slot). */
  readonly usesFfmpeg: boolean;
  /** The modification time written for every entry. */
  readonly modified: Date;
  /** The archive's bytes as they will be sent, counted against the token's allowance. */
  metered(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array>;
}

/**
 * What redeeming a token comes to: the single decision of a download. Everything is settled
 * here (the format, `maxUses`, Range, HEAD, where the bytes come from); each kind has one
 * responder, which only writes. A new kind of download is a new variant, never a new branch in
 * a responder.
 */
export type DownloadPlan = HeadersOnly | GatewayFile | OffloadedFile | FfmpegStream | ArchiveStream;
