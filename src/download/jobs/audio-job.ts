import { AUDIO_FILES, type AudioDecision } from "../../core/audio-output.ts";
import type { AudioTags, CoverImage } from "../../core/audio-tags.ts";
import type { FfmpegJob, JobInput, JobStream } from "../../core/ffmpeg-job.ts";
import { id3Tag } from "../../media/id3-tag.ts";

/** What an audio file is made of: the source's bytes, and, unless the tags are off, its tags and cover. */
export interface AudioParts {
  readonly source: JobInput;
  /** Undefined: no tags (`metadata: false`). */
  readonly tags: AudioTags | undefined;
  /** The cover, for a file that carries one; undefined when there is none to give. */
  readonly cover: CoverImage | undefined;
}

/** ffmpeg's image demuxer for a cover read from a pipe. */
const PICTURE_DEMUXERS: Readonly<Record<CoverImage["mimeType"], string>> = {
  "image/jpeg": "jpeg_pipe",
  "image/png": "png_pipe",
};

/** A picture the gateway already holds, as an ffmpeg input. */
function pictureInput(cover: CoverImage): JobInput {
  return {
    demuxer: PICTURE_DEMUXERS[cover.mimeType],
    open: async () => new Response(cover.bytes.slice()).body as ReadableStream<Uint8Array>,
  };
}

/** The global tags ffmpeg writes, by its own names; absent ones left out. */
function ffmpegTags(tags: AudioTags): Record<string, string> {
  const entries = Object.entries(tags).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return Object.fromEntries(entries);
}

/**
 * An audio file: the first audio stream of the source, copied as it is or encoded, into the
 * decision's file. Tags are ffmpeg's global metadata, except in MP3, whose ID3v2 tag (text frames
 * and cover) the gateway writes itself ahead of ffmpeg's frames (`prefix`: the mp3 muxer drops an
 * attached picture when it writes to a pipe). FLAC takes the cover as an attached picture; M4A,
 * Opus and WAV go without one (a fragmented MP4 cannot carry it).
 */
export function audioJob(decision: AudioDecision, parts: AudioParts): FfmpegJob {
  const spec = AUDIO_FILES[decision.file];
  const audio: JobStream = {
    input: 0,
    type: "audio",
    codec: decision.copy ? "copy" : (spec.encoder ?? "copy"),
    bitrateKbps: decision.copy ? undefined : decision.bitrateKbps,
  };
  const job: FfmpegJob = {
    kind: "audio",
    inputs: [parts.source],
    streams: [audio],
    container: spec.container,
  };
  const { tags, cover } = parts;
  if (tags === undefined) return job;
  if (spec.container === "mp3") return { ...job, prefix: id3Tag(tags, cover) };
  if (cover === undefined || !spec.cover) return { ...job, metadata: ffmpegTags(tags) };
  return {
    ...job,
    inputs: [parts.source, pictureInput(cover)],
    // ffmpeg names a FLAC picture's kind after the stream's comment: the front cover, not "Other".
    streams: [audio, { input: 1, type: "picture", codec: "copy", tags: { comment: "Cover (front)" } }],
    metadata: ffmpegTags(tags),
  };
}
