import type { MergeContainer } from "../core/merge-selection.ts";

/** The file descriptor ffmpeg reads the video input from (0 to 2 are its standard streams). */
export const VIDEO_INPUT_FD = 3;
/** The file descriptor ffmpeg reads the audio input from. */
export const AUDIO_INPUT_FD = 4;

/**
 * How much of each input ffmpeg reads before it starts writing, in bytes. YouTube's adaptive
 * formats declare their codecs in their headers (an mp4 `moov`, a WebM `Tracks` element), so a
 * small probe is enough and the first output bytes come early.
 */
const PROBE_BYTES = 64 * 1024;

/** Options that go before each `-i`: they apply to that input only. */
function input(fd: number): string[] {
  return [
    // No protocol but pipes: whatever an input file names (an mp4 data reference, say), ffmpeg
    // opens nothing else, and nothing on this command line is a URL.
    ...["-protocol_whitelist", "pipe"],
    ...["-probesize", String(PROBE_BYTES), "-analyzeduration", "0"],
    ...["-i", `pipe:${fd}`],
  ];
}

/** Output that players accept while it streams, for each container. */
const OUTPUT: Readonly<Record<MergeContainer, readonly string[]>> = {
  // Fragmented MP4: the `moov` goes first (empty) and each keyframe starts a fragment, so a
  // player can start before the end and nothing needs seeking back in the output.
  mp4: ["-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4"],
  // WebM is a streaming format as it is; on a pipe ffmpeg leaves out the index (Cues).
  webm: ["-f", "webm"],
};

/**
 * ffmpeg's arguments for a merge: video from fd {@link VIDEO_INPUT_FD}, audio from fd
 * {@link AUDIO_INPUT_FD}, both streams copied as they are (never a transcode) into `container`
 * on standard output. An argument array for a direct exec: no shell ever sees it.
 */
export function mergeArguments(container: MergeContainer): string[] {
  return [
    ...["-hide_banner", "-nostdin", "-loglevel", "error"],
    ...input(VIDEO_INPUT_FD),
    ...input(AUDIO_INPUT_FD),
    ...["-map", "0:v:0", "-map", "1:a:0", "-c", "copy"],
    // Headers and each fragment go out as soon as they are written, not when a buffer fills.
    ...["-flush_packets", "1"],
    ...OUTPUT[container],
    ...["-protocol_whitelist", "pipe", "pipe:1"],
  ];
}
