/**
 * Long media shaped as YouTube's adaptive formats are (DASH), for clips: an H.264 MP4 and an AAC
 * M4A with a `sidx` right after the `moov` and one fragment per keyframe interval, a VP9 WebM and
 * an Opus WebM with their Cues before the first Cluster; and a muxed progressive MP4 without an
 * index, as itag 18 is. Ten minutes long, so a ten-second clip
 * is a small part of the file, but tiny and quick to make (160x90 at 10 fps, fastest presets).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { measureDashRanges } from "./dash-ranges.ts";
import {
  DEFAULT_MEDIA_DIR,
  ensureFile,
  MEDIA_FORMATS,
  type MediaFile,
  type MediaFormatSpec,
} from "./media.ts";

/** The itags of the long video: the adaptive ones, and a muxed one made of two of them. */
export type LongMediaItag = 18 | 137 | 248 | 140 | 251;

/** Length of the long video, in seconds. */
export const LONG_MEDIA_SECONDS = 600;

/** Seconds between two keyframes of the long video (each starts a fragment or a Cluster). */
export const LONG_KEYFRAME_SECONDS = 2;

const FPS = 10;
const video = [
  ...["-f", "lavfi", "-i", `testsrc2=size=160x90:rate=${FPS}:duration=${LONG_MEDIA_SECONDS}`],
  ...["-g", String(FPS * LONG_KEYFRAME_SECONDS), "-keyint_min", String(FPS * LONG_KEYFRAME_SECONDS)],
  ...["-pix_fmt", "yuv420p", "-an"],
];
const audio = (rate: number) => [
  ...["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=${rate}:duration=${LONG_MEDIA_SECONDS}`],
  ...["-ac", "1", "-vn"],
];
// A sidx after the moov, then one moof+mdat per keyframe (two seconds of audio per fragment),
// each addressing its data from its own moof: YouTube's shape.
const DASH_MP4 = ["-movflags", "+frag_keyframe+empty_moov+global_sidx+default_base_moof", "-f", "mp4"];
// Clusters that start on keyframes, Cues written before the first Cluster: YouTube's shape.
const DASH_WEBM = ["-dash", "1", "-cues_to_front", "1", "-f", "webm"];

const long = (itag: LongMediaItag, file: string, ffmpegArgs: string[]): MediaFormatSpec => ({
  ...MEDIA_FORMATS[itag],
  file,
  width: MEDIA_FORMATS[itag].hasVideo ? 160 : undefined,
  height: MEDIA_FORMATS[itag].hasVideo ? 90 : undefined,
  fps: MEDIA_FORMATS[itag].hasVideo ? FPS : undefined,
  quality: MEDIA_FORMATS[itag].hasVideo ? "tiny" : MEDIA_FORMATS[itag].quality,
  qualityLabel: MEDIA_FORMATS[itag].hasVideo ? "90p" : undefined,
  audioChannels: MEDIA_FORMATS[itag].hasAudio ? 1 : undefined,
  ffmpegArgs,
});

/** The adaptive formats of the long video, with their recipes. */
export const LONG_MEDIA_FORMATS: Readonly<Record<Exclude<LongMediaItag, 18>, MediaFormatSpec>> = {
  137: long(137, "long-itag137.mp4", [
    ...video,
    ...["-c:v", "libx264", "-profile:v", "high", "-preset", "ultrafast", "-sc_threshold", "0", "-crf", "38"],
    ...DASH_MP4,
  ]),
  248: long(248, "long-itag248.webm", [
    ...video,
    ...["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "60k"],
    ...DASH_WEBM,
  ]),
  140: long(140, "long-itag140.m4a", [
    ...audio(44100),
    ...["-c:a", "aac", "-aac_coder", "fast", "-b:a", "32k", "-frag_duration", "2000000"],
    ...DASH_MP4,
  ]),
  251: long(251, "long-itag251.webm", [...audio(48000), ...["-c:a", "libopus", "-b:a", "24k"], ...DASH_WEBM]),
};

const LONG_ITAGS = [137, 248, 140, 251] as const;

/**
 * The muxed format: the H.264 and AAC formats copied into one progressive MP4, `moov` first and
 * no index, as YouTube's itag 18 is.
 */
function muxedSpec(dir: string): MediaFormatSpec {
  const path = (itag: 137 | 140) => resolve(dir, LONG_MEDIA_FORMATS[itag].file);
  return {
    ...long(18, "long-itag18.mp4", [
      ...["-i", path(137), "-i", path(140), "-map", "0:v:0", "-map", "1:a:0", "-c", "copy"],
      ...["-movflags", "+faststart", "-f", "mp4"],
    ]),
    mimeType: 'video/mp4; codecs="avc1.64000c, mp4a.40.2"',
  };
}

/** One long file, generated if needed, with the ranges it declares. */
async function ensureLongFile(dir: string, spec: MediaFormatSpec): Promise<MediaFile> {
  const file = await ensureFile(dir, spec);
  const ranges = measureDashRanges(new Uint8Array(readFileSync(file.path)), spec.container);
  if (ranges === undefined) throw new Error(`${file.path} is not shaped as YouTube's DASH formats are`);
  return { ...file, ...ranges };
}

const prepared = new Map<string, Promise<ReadonlyMap<number, MediaFile>>>();

/**
 * Generates (first time only, about half a minute of one core) and measures the long video's
 * files in `dir`; memoised per directory. Throws `MediaGenerationError` without ffmpeg.
 */
export function prepareLongMedia(dir: string = DEFAULT_MEDIA_DIR): Promise<ReadonlyMap<number, MediaFile>> {
  let ready = prepared.get(dir);
  if (ready === undefined) {
    ready = (async () => {
      mkdirSync(dir, { recursive: true });
      const adaptive = await Promise.all(
        LONG_ITAGS.map((itag) => ensureLongFile(dir, LONG_MEDIA_FORMATS[itag])),
      );
      const muxed = await ensureFile(dir, muxedSpec(dir));
      return new Map([muxed, ...adaptive].map((file) => [file.itag, file]));
    })();
    ready.catch(() => prepared.delete(dir));
    prepared.set(dir, ready);
  }
  return ready;
}
