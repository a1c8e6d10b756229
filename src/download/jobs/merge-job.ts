import type { FfmpegJob, JobInput } from "../../core/ffmpeg-job.ts";
import type { MergeContainer } from "../../core/merge-selection.ts";

/**
 * A merge: the video stream of `video` and the audio stream of `audio`, both copied as they are
 * (never a transcode) into `container`, fragmented MP4 or WebM, so it streams as it is made.
 */
export function mergeJob(video: JobInput, audio: JobInput, container: MergeContainer): FfmpegJob {
  return {
    kind: "merge",
    inputs: [video, audio],
    streams: [
      { input: 0, type: "video", codec: "copy" },
      { input: 1, type: "audio", codec: "copy" },
    ],
    container,
  };
}
