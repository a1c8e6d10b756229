import { MergeUnavailableError } from "../../core/errors.ts";
import type { MergeDelivery } from "../../tokens/download-claims.ts";
import type { FfmpegStream, HeadersOnly } from "../download-plan.ts";
import { mergeJob } from "../jobs/merge-job.ts";
import { embedCaptions } from "./embedded-captions.ts";
import { copySizeOf, ffmpegPlan, type PlanContext, wholeInput } from "./plan-context.ts";

/**
 * Plans a merge: a video-only and an audio-only format remuxed by ffmpeg into one container
 * while it streams. A merged copy reads both inputs once: `maxUses` counts their bytes as it
 * does a file's. Throws `MergeUnavailableError` without ffmpeg, `TokenUsedError`, and the
 * source's errors.
 */
export async function planMerge(
  context: PlanContext,
  delivery: MergeDelivery,
): Promise<FfmpegStream | HeadersOnly> {
  const [video, audio] = await Promise.all([
    context.bytesOf(delivery.video),
    context.bytesOf(delivery.audio),
  ]);
  const copySize = await copySizeOf(context, [video, audio]);
  const merge = mergeJob(
    wholeInput(context, video, copySize),
    wholeInput(context, audio, copySize),
    delivery.container,
  );
  // Caption tracks the token names become subtitle streams (see embedded-captions.ts).
  const job = embedCaptions(context, merge, delivery.embedCaptions);
  return ffmpegPlan(context, job, {
    contentType: `video/${delivery.container}`,
    copySize,
    unavailable: () =>
      new MergeUnavailableError("merged downloads need ffmpeg, which this gateway does not have"),
  });
}
