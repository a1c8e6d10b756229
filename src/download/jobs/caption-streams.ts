import type { FfmpegJob, JobInput } from "../../core/ffmpeg-job.ts";
import { containerLanguage } from "../../core/language-tags.ts";

/** A caption track as a job input: its WebVTT text on a pipe, and its language. */
export interface CaptionInput {
  readonly input: JobInput;
  /** BCP 47 code of the track. */
  readonly languageCode: string;
}

/** The subtitle codec each video container holds: MP4 `mov_text`, WebM WebVTT. */
const SUBTITLE_CODEC: Readonly<Record<string, string>> = { mp4: "mov_text", webm: "webvtt" };

/**
 * `job` with each caption track added as a subtitle stream after its own streams, tagged with
 * its language, converted to the codec of the job's container.
 *
 * @throws RangeError for a container without subtitles (the ticket refuses those: a caller bug).
 */
export function withCaptionStreams(job: FfmpegJob, captions: readonly CaptionInput[]): FfmpegJob {
  if (captions.length === 0) return job;
  const codec = SUBTITLE_CODEC[job.container];
  if (codec === undefined) throw new RangeError(`a ${job.container} output holds no captions`);
  const first = job.inputs.length;
  return {
    ...job,
    inputs: [...job.inputs, ...captions.map((c) => ({ ...c.input, demuxer: "webvtt" }))],
    streams: [
      ...job.streams,
      ...captions.map((c, i) => ({
        input: first + i,
        type: "subtitle" as const,
        codec,
        language: containerLanguage(c.languageCode),
      })),
    ],
  };
}
