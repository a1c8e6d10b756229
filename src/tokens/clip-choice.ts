import { BadUserInputError, FfmpegUnavailableError } from "../core/errors.ts";
import type { TimeRange } from "../core/ffmpeg-job.ts";
import type { MediaFormat, VideoInfo } from "../core/video.ts";
import { clipContainer } from "../download/jobs/clip-job.ts";
import type { Delivery } from "./download-claims.ts";

/** What of a ticket's choice a clip changes. */
interface Choosing {
  readonly delivery: Delivery;
  readonly format: MediaFormat;
  readonly contentLength: number | undefined;
  readonly estimatedContentLength: number | undefined;
}

/**
 * A chosen download made a clip of `clip`: ffmpeg cuts it while it streams, so no exact size is
 * known; the estimate is the chosen size in proportion to the clip's share of the video. Throws
 * `FfmpegUnavailableError` (a file clip) when this instance has no ffmpeg, and
 * `BadUserInputError` for a format clips cannot be made of (neither MP4 nor WebM), or for a clip
 * of one format that would embed captions.
 */
export async function clipChoice<C extends Choosing>(
  choice: C,
  clip: TimeRange,
  video: Pick<VideoInfo, "durationSeconds">,
  canRunFfmpeg: () => Promise<boolean>,
  embeddingCaptions = false,
): Promise<C> {
  if (choice.delivery.kind === "file") {
    if (embeddingCaptions)
      throw new BadUserInputError("clip: a clip of one format cannot embed captions; a MERGED clip can");
    if (clipContainer(choice.format) === undefined)
      throw new BadUserInputError("clip: clips are made of MP4 and WebM formats only");
    if (!(await canRunFfmpeg()))
      throw new FfmpegUnavailableError("clips need ffmpeg, which this gateway does not have");
  }
  const duration = video.durationSeconds;
  const share =
    duration === undefined || duration <= 0 ? undefined : (clip.endSeconds - clip.startSeconds) / duration;
  const estimate = choice.estimatedContentLength;
  return {
    ...choice,
    delivery: { ...choice.delivery, clip },
    contentLength: undefined,
    estimatedContentLength:
      estimate === undefined || share === undefined ? undefined : Math.ceil(estimate * Math.min(1, share)),
  };
}
