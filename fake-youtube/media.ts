/**
 * Real, playable media for the simulated YouTube, generated once with ffmpeg test sources into the
 * git-ignored `test/.media/` and reused while present, plus a deterministic large file for
 * benchmarks.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import type { DeclaredRange } from "./dash-ranges.ts";

/** The itags the simulated YouTube serves, as YouTube uses them. */
export type MediaItag = 18 | 137 | 248 | 140 | 251;

/** Everything a player response declares about one format, apart from size and duration. */
export interface MediaFormatSpec {
  itag: MediaItag;
  /** File name inside the media directory. */
  file: string;
  /** `mimeType` exactly as declared in the player response, codecs included. */
  mimeType: string;
  /** `Content-Type` the media endpoint answers with (the mime type without codecs). */
  contentType: string;
  container: "mp4" | "webm";
  hasVideo: boolean;
  hasAudio: boolean;
  width?: number;
  height?: number;
  fps?: number;
  quality: string;
  qualityLabel?: string;
  audioQuality?: string;
  audioSampleRate?: number;
  audioChannels?: number;
  /** ffmpeg arguments between `-y` and the output path. */
  ffmpegArgs: readonly string[];
}

/** A generated file with what was measured on it. */
export interface MediaFile extends MediaFormatSpec {
  path: string;
  /** Exact size in bytes (the `contentLength` the player response declares). */
  size: number;
  /** Duration in milliseconds, measured by ffprobe at generation time. */
  durationMs: number;
  /** Average bitrate in bits per second (size * 8 / duration). */
  bitrate: number;
  /** A DASH-shaped file's header (`ftyp`+`moov`, or WebM up to the Cues), declared as `initRange`. */
  initRange?: DeclaredRange;
  /** A DASH-shaped file's index (`sidx` or Cues), declared as `indexRange`. */
  indexRange?: DeclaredRange;
}

/** Length of every generated clip, in seconds. */
export const MEDIA_SECONDS = 6;

const lavfiVideo = (size: string): string[] => [
  "-f",
  "lavfi",
  "-i",
  `testsrc2=size=${size}:rate=30:duration=${MEDIA_SECONDS}`,
];
const lavfiAudio = (rate: number): string[] => [
  "-f",
  "lavfi",
  "-i",
  `sine=frequency=440:sample_rate=${rate}:duration=${MEDIA_SECONDS}`,
];

/** The five formats, with the ffmpeg recipe that makes each declaration true. */
export const MEDIA_FORMATS: Readonly<Record<MediaItag, MediaFormatSpec>> = {
  18: {
    itag: 18,
    file: "itag18-640x360.mp4",
    mimeType: 'video/mp4; codecs="avc1.42001E, mp4a.40.2"',
    contentType: "video/mp4",
    container: "mp4",
    hasVideo: true,
    hasAudio: true,
    width: 640,
    height: 360,
    fps: 30,
    quality: "medium",
    qualityLabel: "360p",
    audioQuality: "AUDIO_QUALITY_LOW",
    audioSampleRate: 44100,
    audioChannels: 2,
    ffmpegArgs: [
      ...lavfiVideo("640x360"),
      ...lavfiAudio(44100),
      ...["-c:v", "libx264", "-profile:v", "baseline", "-level", "3.0", "-pix_fmt", "yuv420p"],
      ...["-preset", "veryfast", "-crf", "32", "-g", "60", "-c:a", "aac", "-b:a", "96k", "-ac", "2"],
      ...["-movflags", "+faststart", "-shortest", "-f", "mp4"],
    ],
  },
  137: {
    itag: 137,
    file: "itag137-1920x1080.mp4",
    mimeType: 'video/mp4; codecs="avc1.640028"',
    contentType: "video/mp4",
    container: "mp4",
    hasVideo: true,
    hasAudio: false,
    width: 1920,
    height: 1080,
    fps: 30,
    quality: "hd1080",
    qualityLabel: "1080p",
    ffmpegArgs: [
      ...lavfiVideo("1920x1080"),
      ...["-c:v", "libx264", "-profile:v", "high", "-level", "4.0", "-pix_fmt", "yuv420p"],
      ...["-preset", "veryfast", "-crf", "42", "-g", "60", "-an", "-movflags", "+faststart", "-f", "mp4"],
    ],
  },
  248: {
    itag: 248,
    file: "itag248-1920x1080.webm",
    mimeType: 'video/webm; codecs="vp9"',
    contentType: "video/webm",
    container: "webm",
    hasVideo: true,
    hasAudio: false,
    width: 1920,
    height: 1080,
    fps: 30,
    quality: "hd1080",
    qualityLabel: "1080p",
    ffmpegArgs: [
      ...lavfiVideo("1920x1080"),
      ...["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k", "-g", "60"],
      ...["-an", "-f", "webm"],
    ],
  },
  140: {
    itag: 140,
    file: "itag140-aac.m4a",
    mimeType: 'audio/mp4; codecs="mp4a.40.2"',
    contentType: "audio/mp4",
    container: "mp4",
    hasVideo: false,
    hasAudio: true,
    quality: "tiny",
    audioQuality: "AUDIO_QUALITY_MEDIUM",
    audioSampleRate: 44100,
    audioChannels: 2,
    ffmpegArgs: [
      ...lavfiAudio(44100),
      ...["-c:a", "aac", "-b:a", "128k", "-ac", "2", "-vn", "-movflags", "+faststart", "-f", "mp4"],
    ],
  },
  251: {
    itag: 251,
    file: "itag251-opus.webm",
    mimeType: 'audio/webm; codecs="opus"',
    contentType: "audio/webm",
    container: "webm",
    hasVideo: false,
    hasAudio: true,
    quality: "tiny",
    audioQuality: "AUDIO_QUALITY_MEDIUM",
    audioSampleRate: 48000,
    audioChannels: 2,
    ffmpegArgs: [
      ...lavfiAudio(48000),
      ...["-c:a", "libopus", "-b:a", "128k", "-ac", "2", "-vn", "-f", "webm"],
    ],
  },
};

/** Every itag, in the order player responses list them (muxed first, then adaptive). */
export const MEDIA_ITAGS: readonly MediaItag[] = [18, 137, 248, 140, 251];

/** Default cache directory: `test/.media/` at the repository root (git-ignored). */
export const DEFAULT_MEDIA_DIR = resolve(import.meta.dir, "../test/.media");

/** Thrown when ffmpeg/ffprobe are missing or fail. */
export class MediaGenerationError extends Error {
  override readonly name = "MediaGenerationError";
}

async function run(cmd: string[]): Promise<string> {
  let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  try {
    proc = Bun.spawn(cmd, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  } catch (cause) {
    throw new MediaGenerationError(
      `cannot run ${cmd[0]}: install ffmpeg (apt-get install -y ffmpeg) to generate test media`,
      { cause },
    );
  }
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new MediaGenerationError(`${cmd.join(" ")} exited with ${code}: ${err.trim()}`);
  return out;
}

async function probeDurationMs(path: string): Promise<number> {
  const out = await run([
    "ffprobe",
    "-v",
    "error",
    "-show_entries",
    "format=duration",
    "-of",
    "csv=p=0",
    path,
  ]);
  const seconds = Number.parseFloat(out.trim());
  if (!Number.isFinite(seconds)) throw new MediaGenerationError(`ffprobe gave no duration for ${path}`);
  return Math.round(seconds * 1000);
}

/**
 * Generates `spec`'s file in `dir` unless it is there, and measures it. Throws
 * {@link MediaGenerationError} when ffmpeg or ffprobe fails.
 */
export async function ensureFile(dir: string, spec: MediaFormatSpec): Promise<MediaFile> {
  const path = resolve(dir, spec.file);
  if (!existsSync(path)) {
    // Written under a private name then renamed: concurrent test processes never see half a file.
    const partial = `${path}.${process.pid}.partial`;
    await run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", ...spec.ffmpegArgs, partial]);
    renameSync(partial, path);
  }
  const size = statSync(path).size;
  const durationMs = await probeDurationMs(path);
  return { ...spec, path, size, durationMs, bitrate: Math.round((size * 8 * 1000) / durationMs) };
}

const prepared = new Map<string, Promise<ReadonlyMap<MediaItag, MediaFile>>>();

/**
 * Generates (first time only) and measures the five media files in `dir`. Memoised per
 * directory. Throws {@link MediaGenerationError} when ffmpeg or ffprobe is unavailable.
 */
export function prepareMedia(dir: string = DEFAULT_MEDIA_DIR): Promise<ReadonlyMap<MediaItag, MediaFile>> {
  let ready = prepared.get(dir);
  if (!ready) {
    ready = (async () => {
      mkdirSync(dir, { recursive: true });
      const files = await Promise.all(MEDIA_ITAGS.map((itag) => ensureFile(dir, MEDIA_FORMATS[itag])));
      return new Map(files.map((file) => [file.itag, file]));
    })();
    ready.catch(() => prepared.delete(dir));
    prepared.set(dir, ready);
  }
  return ready;
}

/** The large synthetic file served for benchmarks: declared as `itag`, `bytes` long. */
export interface LargeMediaOption {
  /** Which format the large file stands in for. @default 18 */
  itag?: MediaItag;
  /** Exact size in bytes. */
  bytes: number;
}

/**
 * The bytes of the large synthetic file between `start` and `end` inclusive: each 8-byte word
 * holds its own offset (little-endian), so any range can be checked without the file.
 */
export function largeMediaBytes(start: number, end: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(end - start + 1);
  const firstWord = Math.floor(start / 8);
  const lastWord = Math.floor(end / 8);
  const words = new DataView(new ArrayBuffer((lastWord - firstWord + 1) * 8));
  for (let w = firstWord; w <= lastWord; w++) words.setBigUint64((w - firstWord) * 8, BigInt(w * 8), true);
  out.set(new Uint8Array(words.buffer, start - firstWord * 8, out.length));
  return out;
}

/**
 * A format whose bytes another server holds (a static-file origin in benchmarks): the simulated
 * `/videoplayback` checks the URL as usual, then redirects there.
 */
export interface ExternalMediaOption {
  /** Absolute URL of the bytes; that server must answer `Range` requests with 206. */
  url: string;
  /** Exact size in bytes (the `contentLength` the player response declares). */
  bytes: number;
  /** Which format the file stands in for. @default 18 */
  itag?: MediaItag;
}

const CHUNK = 4 * 1024 * 1024;

/** Where the large file of `bytes` bytes lives inside `dir`. */
export function largeMediaPath(dir: string, bytes: number): string {
  return resolve(dir, `large-${bytes}.bin`);
}

/**
 * Writes (once) the large file of `bytes` bytes into `dir` without holding it in memory and
 * returns its path. The content is {@link largeMediaBytes}.
 */
export function ensureLargeMediaFile(dir: string, bytes: number): string {
  const path = largeMediaPath(dir, bytes);
  if (existsSync(path) && statSync(path).size === bytes) return path;
  mkdirSync(dir, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  const fd = openSync(partial, "w");
  try {
    for (let offset = 0; offset < bytes; offset += CHUNK) {
      writeSync(fd, largeMediaBytes(offset, Math.min(offset + CHUNK, bytes) - 1));
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}
