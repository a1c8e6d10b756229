import { MergeUnavailableError } from "../../core/errors.ts";
import type { MergeDelivery } from "../../tokens/download-claims.ts";
import type { FfmpegStream, HeadersOnly } from "../download-plan.ts";
import type { FormatBytes } from "../format-bytes.ts";
import { clipOf } from "../jobs/clip-job.ts";
import { mergeJob } from "../jobs/merge-job.ts";
import { clippedInput } from "./clipped-input.ts";
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
  const { clip } = delivery;
  const input = (bytes: FormatBytes) =>
    clip === undefined ? wholeInput(context, bytes, copySize) : clippedInput(context, bytes, clip, copySize);
  const merge = mergeJob(input(video), input(audio), delivery.container);
  // Caption tracks the token names become subtitle streams (see embedded-captions.ts); a clip
  // cuts them with the rest, as they are on the video's timeline.
  const captioned = embedCaptions(context, merge, delivery.embedCaptions);
  const job = clip === undefined ? captioned : clipOf(captioned, clip);
  return ffmpegPlan(context, job, {
    contentType: `video/${delivery.container}`,
    copySize,
    unavailable: () =>
      new MergeUnavailableError("merged downloads need ffmpeg, which this gateway does not have"),
  });
}
