import type { FfmpegJob, JobInput, JobStream, OutputContainer, TimeRange } from "../core/ffmpeg-job.ts";

/** The file descriptor of a job's first input (0 to 2 are ffmpeg's standard streams). */
export const FIRST_INPUT_FD = 3;

/**
 * How much of each input ffmpeg reads before it starts writing, in bytes. YouTube's adaptive
 * formats declare their codecs in their headers (an mp4 `moov`, a WebM `Tracks` element), so a
 * small probe is enough and the first output bytes come early.
 */
const PROBE_BYTES = 64 * 1024;

/** Seconds as ffmpeg reads them (never in exponent notation). */
const seconds = (value: number): string => value.toFixed(6);

/**
 * The time range of an input that is on the media's timeline (any but a picture's): seconds are
 * the media's own (`-seek_timestamp`, not counted from the input's first timestamp, so that an
 * input that begins mid-video is cut on the same timeline as the others). Seeking on a pipe means
 * reading forward to the last keyframe at or before the start (a copied stream starts there, an
 * encoded one is decoded from there and cut exactly at the start); reading stops at the end.
 */
function timeArguments(range: TimeRange | undefined): string[] {
  if (range === undefined) return [];
  return ["-seek_timestamp", "1", "-ss", seconds(range.startSeconds), "-to", seconds(range.endSeconds)];
}

/** Options that go before each `-i`: they apply to that input only. */
function inputArguments(input: JobInput, index: number, range: TimeRange | undefined): string[] {
  return [
    // No protocol but pipes: whatever an input file names (an mp4 data reference, say), ffmpeg
    // opens nothing else, and nothing on this command line is a URL.
    ...["-protocol_whitelist", "pipe"],
    ...["-probesize", String(PROBE_BYTES), "-analyzeduration", "0"],
    ...(input.demuxer === undefined ? [] : ["-f", input.demuxer]),
    ...timeArguments(range),
    ...["-i", `pipe:${FIRST_INPUT_FD + index}`],
  ];
}

/** The stream specifier of a stream's source in its input (`0:v:0`). */
const SOURCE_TYPE: Readonly<Record<JobStream["type"], string>> = {
  video: "v",
  audio: "a",
  subtitle: "s",
  picture: "v",
};

/** `-map`, codec, bitrate, language and disposition of output stream `index`. */
function streamArguments(stream: JobStream, index: number): string[] {
  return [
    ...["-map", `${stream.input}:${SOURCE_TYPE[stream.type]}:0`],
    ...[`-c:${index}`, stream.codec],
    ...(stream.bitrateKbps === undefined ? [] : [`-b:${index}`, `${stream.bitrateKbps}k`]),
    ...(stream.language === undefined ? [] : [`-metadata:s:${index}`, `language=${stream.language}`]),
    ...Object.entries(stream.tags ?? {}).flatMap(([key, value]) => [
      `-metadata:s:${index}`,
      `${key}=${value}`,
    ]),
    ...(stream.type === "picture" ? [`-disposition:${index}`, "attached_pic"] : []),
  ];
}

/** Output that players accept while it streams, for each container. */
const OUTPUT: Readonly<Record<OutputContainer, readonly string[]>> = {
  // Fragmented MP4: the `moov` goes first (empty) and each keyframe starts a fragment, so a
  // player can start before the end and nothing needs seeking back in the output.
  mp4: ["-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4"],
  m4a: ["-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4"],
  // WebM is a streaming format as it is; on a pipe ffmpeg leaves out the index (Cues).
  webm: ["-f", "webm"],
  // A Xing header needs seeking back to the start once the frames are counted: not on a pipe.
  mp3: ["-write_xing", "0", "-f", "mp3"],
  ogg: ["-f", "ogg"],
  flac: ["-f", "flac"],
  wav: ["-f", "wav"],
};

/**
 * What keeps a muxer from writing a tag header of its own, for a job whose `prefix` is that
 * header: the mp3 muxer's ID3v2 tag. (`-write_id3v2` is not the mp3 muxer's option: it would be
 * ignored, and the file would get two tags.)
 */
const NO_OWN_HEADER: Partial<Record<OutputContainer, readonly string[]>> = {
  mp3: ["-id3v2_version", "0"],
};

/**
 * ffmpeg's arguments for a job: input `i` from fd {@link FIRST_INPUT_FD} + `i`, the job's streams
 * with their codecs into its container on standard output. An argument array for a direct exec:
 * no shell ever sees it, so tags and titles are data whatever characters they hold.
 */
export function jobArguments(job: FfmpegJob): string[] {
  // A picture (a cover) is one frame at zero: cut to the range, it would vanish.
  const timed = (index: number) => job.streams.some((s) => s.input === index && s.type !== "picture");
  return [
    ...["-hide_banner", "-nostdin", "-loglevel", "error"],
    ...job.inputs.flatMap((input, i) => inputArguments(input, i, timed(i) ? job.timeRange : undefined)),
    ...job.streams.flatMap(streamArguments),
    ...Object.entries(job.metadata ?? {}).flatMap(([key, value]) => ["-metadata", `${key}=${value}`]),
    // Headers and each fragment go out as soon as they are written, not when a buffer fills.
    ...["-flush_packets", "1"],
    ...(job.prefix === undefined ? [] : (NO_OWN_HEADER[job.container] ?? [])),
    ...OUTPUT[job.container],
    ...["-protocol_whitelist", "pipe", "pipe:1"],
  ];
}
