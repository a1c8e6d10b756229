import type { DownloadAttempt } from "../../core/download-attempt.ts";
import type { FfmpegJob, FfmpegRunner, JobInput } from "../../core/ffmpeg-job.ts";
import type { Logger } from "../../core/logger.ts";
import type { VideoRef } from "../../core/video.ts";
import type { VideoService } from "../../core/video-service.ts";
import type { ByteAllowance } from "../../tokens/byte-allowance.ts";
import type { VerifiedClaims } from "../../tokens/download-claims.ts";
import { formatContentDisposition } from "../content-disposition.ts";
import type { FfmpegStream, HeadersOnly, PlanHeaders } from "../download-plan.ts";
import { type FormatBytes, formatBytesOf, openWhole } from "../format-bytes.ts";

/** What the planner needs. */
export interface PlannerDeps {
  readonly videos: VideoService;
  readonly log: Logger;
  /** The byte allowance of `maxUses` tokens. */
  readonly allowance: ByteAllowance;
  /** `nginx`: file downloads are carried by nginx (X-Accel-Redirect). */
  readonly offload: "none" | "nginx";
  /** Whether ffmpeg can run here (downloads made on the fly need it). */
  readonly ffmpeg: Pick<FfmpegRunner, "available">;
  /** `DOWNTUBE_MAX_CAPTION_BYTES`: the most a caption track may weigh, read or written. */
  readonly maxCaptionBytes: number;
}

/** One redemption of a token, as a plan sees it. */
export interface PlanContext {
  readonly deps: PlannerDeps;
  readonly request: Request;
  readonly claims: VerifiedClaims;
  /** Who asks (nginx counts the streams it carries per client). */
  readonly clientId: string;
  readonly attempt: DownloadAttempt;
  readonly ref: VideoRef;
  /** The bytes of one format of the token's video (refreshed when `attempt` is `refresh`). */
  bytesOf(itag: number): Promise<FormatBytes>;
}

/** Builds the context of one redemption. */
export function planContext(
  deps: PlannerDeps,
  redemption: Pick<PlanContext, "request" | "claims" | "clientId" | "attempt">,
): PlanContext {
  const { claims, attempt } = redemption;
  const ref: VideoRef = { source: claims.source, id: claims.videoId };
  return {
    ...redemption,
    deps,
    ref,
    bytesOf: (itag) => formatBytesOf(deps, ref, itag, attempt === "refresh"),
  };
}

/** The headers every download has, whoever makes its bytes. */
export function presentationHeaders(context: PlanContext, contentType: string): Record<string, string> {
  return {
    "Content-Type": contentType,
    "Content-Disposition": formatContentDisposition(context.claims.disposition, context.claims.filename),
    "Cache-Control": "private, no-transform",
    "X-Content-Type-Options": "nosniff",
  };
}

/**
 * A whole format as an ffmpeg input, counted against the token's allowance as a file's bytes
 * are: `copySize` is what one copy of the download reads from the origin.
 */
export function wholeInput(context: PlanContext, bytes: FormatBytes, copySize: number): JobInput {
  return {
    open: async (signal) =>
      context.deps.allowance.meter(context.claims, copySize, await openWhole(bytes, signal)),
  };
}

/** The bytes one copy reads from the origin, asked only for a `maxUses` token (0 otherwise). */
export async function copySizeOf(context: PlanContext, inputs: readonly FormatBytes[]): Promise<number> {
  if (context.claims.maxUses === undefined) return 0;
  const signal = context.request.signal;
  const sizes = await Promise.all(inputs.map((bytes) => bytes.size(signal)));
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** What an ffmpeg download needs settled besides its job. */
export interface FfmpegPlanOptions {
  readonly contentType: string;
  /** Bytes one copy reads from the origin (`copySizeOf`): what `maxUses` counts. */
  readonly copySize: number;
  /** The error when this instance has no ffmpeg (merges keep their own code). */
  readonly unavailable: () => Error;
}

/**
 * The plan of any download ffmpeg makes: refused without ffmpeg, refused for a used-up token
 * (to HEAD as to GET), the headers alone for HEAD (nothing started), else the job.
 */
export async function ffmpegPlan(
  context: PlanContext,
  job: FfmpegJob,
  options: FfmpegPlanOptions,
): Promise<FfmpegStream | HeadersOnly> {
  if (!(await context.deps.ffmpeg.available())) throw options.unavailable();
  await context.deps.allowance.check(context.claims, options.copySize);
  const headers: PlanHeaders = presentationHeaders(context, options.contentType);
  if (context.request.method === "HEAD") return { kind: "headers-only", status: 200, headers };
  return { kind: "ffmpeg-stream", headers, job };
}
