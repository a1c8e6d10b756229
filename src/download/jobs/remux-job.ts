import type { FfmpegJob, JobInput } from "../../core/ffmpeg-job.ts";

/**
 * One file's video and audio streams (those it has), copied as they are into `container`, to
 * which other streams can then be added (captions): the file itself is not changed.
 */
export function remuxJob(
  file: JobInput,
  tracks: { readonly hasVideo: boolean; readonly hasAudio: boolean },
  container: "mp4" | "webm",
): FfmpegJob {
  return {
    kind: "remux",
    inputs: [file],
    streams: [
      ...(tracks.hasVideo ? [{ input: 0, type: "video" as const, codec: "copy" }] : []),
      ...(tracks.hasAudio ? [{ input: 0, type: "audio" as const, codec: "copy" }] : []),
    ],
    container,
  };
}
