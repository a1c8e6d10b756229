import { FfmpegUnavailableError, FormatNotFoundError } from "../../core/errors.ts";
import type { TimeRange } from "../../core/ffmpeg-job.ts";
import type { FfmpegStream, HeadersOnly } from "../download-plan.ts";
import { essenceOf } from "../filename.ts";
import { clipContainer, clipJob } from "../jobs/clip-job.ts";
import { clippedInput } from "./clipped-input.ts";
import { copySizeOf, ffmpegPlan, type PlanContext } from "./plan-context.ts";

/**
 * Plans a clip of one format: the fragments that cover `range`, cut by ffmpeg (stream copy) while
 * it streams: no known size, no Range. `maxUses` counts the bytes read against the whole
 * format's size. Throws `FfmpegUnavailableError` without ffmpeg, `FormatNotFoundError` when the
 * format is not one clips are made of, `TokenUsedError`, and the source's errors.
 */
export async function planFileClip(
  context: PlanContext,
  itag: number,
  range: TimeRange,
): Promise<FfmpegStream | HeadersOnly> {
  const bytes = await context.bytesOf(itag);
  const container = clipContainer(bytes.format);
  if (container === undefined) throw new FormatNotFoundError("clips are made of MP4 and WebM formats only");
  const copySize = await copySizeOf(context, [bytes]);
  const job = clipJob(clippedInput(context, bytes, range, copySize), bytes.format, container, range);
  return ffmpegPlan(context, job, {
    contentType: essenceOf(bytes.format.mimeType),
    copySize,
    unavailable: () => new FfmpegUnavailableError("clips need ffmpeg, which this gateway does not have"),
  });
}
