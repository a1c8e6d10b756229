import { BadUserInputError } from "../core/errors.ts";
import type { TimeRange } from "../core/ffmpeg-job.ts";
import type { VideoInfo } from "../core/video.ts";

/**
 * The time range a client asks a clip of, checked against the video: `0 <= startSeconds <
 * endSeconds <= durationSeconds` (the duration only when the source knows it). Throws
 * `BadUserInputError` naming the field that is wrong.
 */
export function checkClip(clip: TimeRange, video: Pick<VideoInfo, "durationSeconds">): TimeRange {
  const { startSeconds, endSeconds } = clip;
  if (!Number.isFinite(startSeconds) || startSeconds < 0)
    throw new BadUserInputError("clip.startSeconds must be a number of seconds, 0 or more");
  if (!Number.isFinite(endSeconds) || endSeconds <= startSeconds)
    throw new BadUserInputError("clip.endSeconds must be greater than clip.startSeconds");
  const duration = video.durationSeconds;
  if (duration !== undefined && duration > 0 && endSeconds > duration)
    throw new BadUserInputError(`clip.endSeconds must be at most the video's length (${duration} seconds)`);
  return { startSeconds, endSeconds };
}

/** `750` → `12m30s`, `3725` → `1h02m05s` (whole seconds, rounded down). */
function timeLabel(seconds: number): string {
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m${s}s` : `${m}m${s}s`;
}

/** What a clip's file name says after the title: `12m30s-14m05s`. */
export function clipLabel(clip: TimeRange): string {
  return `${timeLabel(clip.startSeconds)}-${timeLabel(clip.endSeconds)}`;
}
