import { FormatNotFoundError } from "./errors.ts";
import type { MediaFormat } from "./video.ts";

/** The containers a merged download is written in. */
export type MergeContainer = "mp4" | "webm";

/** The container a merged download gets when the selector names none. */
export const DEFAULT_MERGE_CONTAINER: MergeContainer = "mp4";

/** A video-only and an audio-only format that ffmpeg can copy, as they are, into `container`. */
export interface MergePair {
  readonly video: MediaFormat;
  readonly audio: MediaFormat;
  readonly container: MergeContainer;
}

/**
 * Which codecs each container takes without a transcode, by the prefix of their RFC 6381 name:
 * mp4 takes H.264 (`avc1`) or AV1 (`av01`) with AAC (`mp4a`); webm takes VP9 (`vp9`, `vp09`) or
 * AV1 with Opus.
 */
const FITS: Readonly<Record<MergeContainer, { video: readonly string[]; audio: readonly string[] }>> = {
  mp4: { video: ["avc1", "av01"], audio: ["mp4a"] },
  webm: { video: ["vp9", "vp09", "av01"], audio: ["opus"] },
};

/** The codecs named in a MIME type's `codecs` parameter, lower-cased. */
export function codecsOf(mimeType: string): string[] {
  const match = /codecs\s*=\s*"?([^";]*)"?/i.exec(mimeType);
  return (match?.[1] ?? "")
    .split(",")
    .map((codec) => codec.trim().toLowerCase())
    .filter((codec) => codec.length > 0);
}

/** The one codec of a single-track format: the source's own field, else its MIME type's. */
function codecOf(format: MediaFormat, side: "video" | "audio"): string {
  const declared = side === "video" ? format.videoCodec : format.audioCodec;
  return (declared ?? codecsOf(format.mimeType)[0] ?? "").toLowerCase();
}

const fits = (codec: string, prefixes: readonly string[]) => prefixes.some((p) => codec.startsWith(p));

/** The container a selector names, when it is one a merge can write. */
export function mergeContainerOf(container: string | null | undefined): MergeContainer | undefined {
  const name = (container ?? DEFAULT_MERGE_CONTAINER).toLowerCase();
  return name === "mp4" || name === "webm" ? name : undefined;
}

/**
 * The formats that can go into a merge of `container`: video-only formats whose codec it takes
 * (the video side) and audio-only ones (the audio side). Manifests never do.
 */
export function mergeCandidates(formats: readonly MediaFormat[], container: MergeContainer) {
  const usable = formats.filter((f) => !f.isManifest);
  return {
    video: usable.filter(
      (f) => f.hasVideo && !f.hasAudio && fits(codecOf(f, "video"), FITS[container].video),
    ),
    audio: usable.filter(
      (f) => f.hasAudio && !f.hasVideo && fits(codecOf(f, "audio"), FITS[container].audio),
    ),
  };
}

/**
 * Pairs `video` (already narrowed and ordered by the caller: the selector's `itag`, `maxHeight`
 * and `quality` apply to this side) with the best of `audio`. Throws `FormatNotFoundError` when
 * either side is empty.
 */
export function pairForMerge(
  video: MediaFormat | undefined,
  audio: MediaFormat | undefined,
  container: MergeContainer,
): MergePair {
  if (video === undefined || audio === undefined) {
    const missing = video === undefined ? "video-only" : "audio-only";
    throw new FormatNotFoundError(`this video has no ${missing} format that fits a merged ${container}`);
  }
  return { video, audio, container };
}
