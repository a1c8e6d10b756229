import { BadUserInputError, FormatNotFoundError } from "./errors.ts";
import type { OutputContainer } from "./ffmpeg-job.ts";
import { codecsOf } from "./merge-selection.ts";
import type { MediaFormat } from "./video.ts";

/** What a person asks for (`AudioOutput.format`): a kind of audio file, or the source's own audio. */
export type AudioFormat = "MP3" | "OPUS" | "M4A" | "FLAC" | "WAV" | "ORIGINAL";

/**
 * The file an audio download is, once decided: what `ORIGINAL` comes to for a source (its
 * codec's usual file) or the format asked for.
 */
export type AudioFile = "mp3" | "opus" | "m4a" | "flac" | "wav" | "ogg" | "webm";

/** What each audio file is made of and how it is presented. */
export interface AudioFileSpec {
  readonly container: OutputContainer;
  readonly mimeType: string;
  readonly extension: string;
  /** The ffmpeg encoder when the source's codec does not fit; undefined: only a copy can make it. */
  readonly encoder: string | undefined;
  /** The RFC 6381 codec prefixes a copy can carry as they are. */
  readonly copies: readonly string[];
  /** Lossy encoders take a bitrate: the default, in kbit/s. */
  readonly defaultKbps: number | undefined;
  /** Whether the file carries a cover picture (MP3 in its ID3v2 tag, FLAC as a picture block). */
  readonly cover: boolean;
}

export const AUDIO_FILES: Readonly<Record<AudioFile, AudioFileSpec>> = {
  mp3: spec("mp3", "audio/mpeg", "mp3", "libmp3lame", ["mp3"], 192, true),
  opus: spec("ogg", "audio/ogg", "opus", "libopus", ["opus"], 128, false),
  m4a: spec("m4a", "audio/mp4", "m4a", "aac", ["mp4a.40"], 160, false),
  flac: spec("flac", "audio/flac", "flac", "flac", ["flac"], undefined, true),
  wav: spec("wav", "audio/wav", "wav", "pcm_s16le", [], undefined, false),
  // Only ORIGINAL leads here: Vorbis in Ogg, or a WebM whose codec the source does not name.
  ogg: spec("ogg", "audio/ogg", "ogg", undefined, ["vorbis"], undefined, false),
  webm: spec("webm", "audio/webm", "webm", undefined, [], undefined, false),
};

function spec(
  container: OutputContainer,
  mimeType: string,
  extension: string,
  encoder: string | undefined,
  copies: readonly string[],
  defaultKbps: number | undefined,
  cover: boolean,
): AudioFileSpec {
  return { container, mimeType, extension, encoder, copies, defaultKbps, cover };
}

/** The bitrates a lossy encoder is asked for, in kbit/s. */
export const AUDIO_KBPS = { min: 32, max: 320 } as const;

/** What a person asks for. */
export interface AudioRequest {
  readonly format: AudioFormat;
  /** kbit/s of a lossy encode; undefined: the file's default (MP3: 192). */
  readonly bitrateKbps?: number | undefined;
  /** Title, artist, date, comment and cover. */
  readonly metadata: boolean;
}

/** What an audio download makes of one source format: the token carries it. */
export interface AudioDecision {
  readonly file: AudioFile;
  /** The source's audio packets as they are (never re-encoded). */
  readonly copy: boolean;
  /** kbit/s of the encode; undefined for a copy or a lossless file. */
  readonly bitrateKbps?: number | undefined;
  readonly metadata: boolean;
}

const CODEC_OF_TYPE: Readonly<Record<string, string>> = { "audio/mpeg": "mp3", "audio/flac": "flac" };

/** The audio codec of a format (`mp4a.40.2`, `opus`), lower case; undefined when the source does not say. */
export function audioCodecOf(format: MediaFormat): string | undefined {
  if (format.audioCodec !== undefined) return format.audioCodec.toLowerCase();
  const codecs = codecsOf(format.mimeType);
  // A muxed format names its video codec first.
  const codec = format.hasVideo ? codecs[1] : codecs[0];
  if (codec !== undefined && codec !== "") return codec;
  // A file's own type names its codec (a direct URL's `audio/mpeg` has no codecs parameter).
  return CODEC_OF_TYPE[format.mimeType.split(";")[0]?.trim().toLowerCase() ?? ""];
}

const carries = (spec: AudioFileSpec, codec: string | undefined) =>
  codec !== undefined && spec.copies.some((prefix) => codec.startsWith(prefix));

/** ORIGINAL: the file the source's codec usually lives in, else the one its container names. */
function originalFileOf(source: MediaFormat): AudioFile {
  const codec = audioCodecOf(source);
  const byCodec = (Object.keys(AUDIO_FILES) as AudioFile[]).find((file) => carries(AUDIO_FILES[file], codec));
  if (byCodec !== undefined) return byCodec;
  if (codec === undefined) {
    const byContainer: Readonly<Record<string, AudioFile>> = {
      mp4: "m4a",
      webm: "webm",
      ogg: "ogg",
      mp3: "mp3",
    };
    const file = byContainer[source.container ?? ""];
    if (file !== undefined) return file;
  }
  throw new FormatNotFoundError(
    "the source's audio has no file of its own to be copied into; ask for MP3, OPUS, M4A, FLAC or WAV",
  );
}

/**
 * Decides what an audio download makes of `source`: a copy (never a re-encode) when the file
 * takes the source's codec as it is and no bitrate is asked for, else an encode. Throws
 * `BadUserInputError` for a bitrate on a lossless file or on ORIGINAL, or outside
 * {@link AUDIO_KBPS}; `FormatNotFoundError` when ORIGINAL has no file for the source's codec.
 */
export function decideAudio(source: MediaFormat, request: AudioRequest): AudioDecision {
  const kbps = request.bitrateKbps;
  if (kbps !== undefined && (!Number.isInteger(kbps) || kbps < AUDIO_KBPS.min || kbps > AUDIO_KBPS.max))
    throw new BadUserInputError(
      `audio.bitrateKbps: between ${AUDIO_KBPS.min} and ${AUDIO_KBPS.max} kbit/s, got ${kbps}`,
    );
  if (request.format === "ORIGINAL") {
    if (kbps !== undefined)
      throw new BadUserInputError(
        "audio.bitrateKbps: ORIGINAL copies the source's audio, it takes no bitrate",
      );
    return { file: originalFileOf(source), copy: true, bitrateKbps: undefined, metadata: request.metadata };
  }
  const file = request.format.toLowerCase() as AudioFile;
  const spec = AUDIO_FILES[file];
  if (kbps !== undefined && spec.defaultKbps === undefined)
    throw new BadUserInputError(`audio.bitrateKbps: ${request.format} is lossless, it takes no bitrate`);
  const copy = kbps === undefined && carries(spec, audioCodecOf(source));
  return {
    file,
    copy,
    bitrateKbps: copy ? undefined : (kbps ?? spec.defaultKbps),
    metadata: request.metadata,
  };
}

/** The audio codec a file copies best, for picking a source: AAC for M4A, Opus for OPUS. */
export function preferredCodecs(format: AudioFormat): readonly string[] {
  if (format === "M4A" || format === "OPUS") return AUDIO_FILES[format === "M4A" ? "m4a" : "opus"].copies;
  return [];
}

/** Sample rate YouTube's Opus formats have; its AAC ones have 44.1 kHz. */
const OPUS_RATE = 48_000;
const PCM_RATE = 44_100;
/** How much of a 16-bit stereo PCM stream FLAC keeps, roughly: music compresses to 50-70 %. */
const FLAC_RATIO = 0.6;

/**
 * About how many bytes an audio download comes to: the source's size for a copy; duration ×
 * bitrate for a lossy encode; 16-bit stereo PCM at the source's likely rate for WAV (FLAC: about
 * 60 % of that). Undefined when the duration (or, for a copy, the size) is not known.
 */
export function estimateAudioBytes(
  decision: AudioDecision,
  source: MediaFormat,
  durationSeconds: number | undefined,
): number | undefined {
  if (decision.copy) return source.contentLength;
  if (durationSeconds === undefined || durationSeconds <= 0) return undefined;
  if (decision.bitrateKbps !== undefined)
    return Math.round((durationSeconds * decision.bitrateKbps * 1000) / 8);
  const rate = audioCodecOf(source)?.startsWith("opus") ? OPUS_RATE : PCM_RATE;
  const pcm = Math.round(durationSeconds * rate * 2 * 2);
  return decision.file === "flac" ? Math.round(pcm * FLAC_RATIO) : pcm + 44;
}
