import type { FfmpegJob, JobInput, JobStream, OutputContainer, TimeRange } from "../../core/ffmpeg-job.ts";
import type { MediaFormat } from "../../core/video.ts";

/** The containers a clip is written in: those of YouTube's formats, both streamable. */
export type ClipContainer = Extract<OutputContainer, "mp4" | "m4a" | "webm">;

/** The container of a clip of `format`, or undefined when clips of it cannot be made. */
export function clipContainer(
  format: Pick<MediaFormat, "container" | "hasVideo">,
): ClipContainer | undefined {
  if (format.container === "webm") return "webm";
  if (format.container === "mp4") return format.hasVideo ? "mp4" : "m4a";
  return undefined;
}

/**
 * A clip of one format: its streams copied as they are (no transcode) for `range` into its own
 * container, fragmented MP4 or WebM, so it streams as it is made.
 */
export function clipJob(
  input: JobInput,
  format: Pick<MediaFormat, "hasVideo" | "hasAudio">,
  container: ClipContainer,
  range: TimeRange,
): FfmpegJob {
  const streams: JobStream[] = [];
  if (format.hasVideo) streams.push({ input: 0, type: "video", codec: "copy" });
  if (format.hasAudio) streams.push({ input: 0, type: "audio", codec: "copy" });
  return { kind: "clip", inputs: [input], streams, container, timeRange: range };
}

/** Any job cut to `range`: the clip of a merge (and of whatever else ffmpeg makes). */
export function clipOf(job: FfmpegJob, range: TimeRange): FfmpegJob {
  return { ...job, kind: "clip", timeRange: range };
}
