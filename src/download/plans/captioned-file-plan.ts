import { FfmpegUnavailableError } from "../../core/errors.ts";
import type { EmbeddedCaption, FileDelivery } from "../../tokens/download-claims.ts";
import type { FfmpegStream, HeadersOnly } from "../download-plan.ts";
import { essenceOf } from "../filename.ts";
import { remuxJob } from "../jobs/remux-job.ts";
import { embedCaptions } from "./embedded-captions.ts";
import { copySizeOf, ffmpegPlan, type PlanContext, wholeInput } from "./plan-context.ts";

/**
 * Plans one format with caption tracks embedded: the file's streams copied by ffmpeg into the
 * same container (MP4 or WebM) beside one subtitle stream per track, made while it streams (no
 * size in advance, no Range). Throws `FfmpegUnavailableError` without ffmpeg, `TokenUsedError`,
 * the source's errors.
 */
export async function planCaptionedFile(
  context: PlanContext,
  delivery: FileDelivery,
  embedded: readonly EmbeddedCaption[],
): Promise<FfmpegStream | HeadersOnly> {
  const bytes = await context.bytesOf(delivery.itag);
  const copySize = await copySizeOf(context, [bytes]);
  const container = bytes.format.container === "webm" ? "webm" : "mp4";
  const job = embedCaptions(
    context,
    remuxJob(wholeInput(context, bytes, copySize), bytes.format, container),
    embedded,
  );
  return ffmpegPlan(context, job, {
    contentType: essenceOf(bytes.format.mimeType),
    copySize,
    unavailable: () =>
      new FfmpegUnavailableError("embedding captions needs ffmpeg, which this gateway does not have"),
  });
}
