import { FormatNotFoundError } from "./errors.ts";
import { type MergePair, mergeCandidates, mergeContainerOf, pairForMerge } from "./merge-selection.ts";
import { type FormatKind, formatKind, type MediaFormat } from "./video.ts";

export type Quality = "HIGHEST" | "LOWEST";

/** What a selector may ask for: a kind of format, or `MERGED` (a video-only + audio-only pair). */
export type SelectorKind = FormatKind | "MERGED";

/** What a client asks for; every field narrows, `quality` picks one end of what is left. */
export interface FormatSelector {
  readonly itag?: number | null | undefined;
  readonly quality?: Quality | null | undefined;
  readonly kind?: SelectorKind | null | undefined;
  readonly container?: string | null | undefined;
  /** Formats with video taller than this are left out; audio-only formats are unaffected. */
  readonly maxHeight?: number | null | undefined;
}

/** What a download gets when it names no format: what the seed's `get_highest_resolution()` meant. */
export const DEFAULT_DOWNLOAD_SELECTOR: FormatSelector = {
  kind: "MUXED",
  container: "mp4",
  quality: "HIGHEST",
};

/** Orders formats best first: resolution, frame rate, then bitrate (audio bitrate for audio). */
function compareBestFirst(a: MediaFormat, b: MediaFormat): number {
  const byBitrate = (b.bitrate ?? 0) - (a.bitrate ?? 0);
  const byAudio = (b.audioBitrate ?? 0) - (a.audioBitrate ?? 0);
  const audioOnly = !a.hasVideo && !b.hasVideo;
  return (
    (b.height ?? 0) - (a.height ?? 0) ||
    (b.fps ?? 0) - (a.fps ?? 0) ||
    (audioOnly ? byAudio || byBitrate : byBitrate || byAudio) ||
    a.itag - b.itag
  );
}

function matches(format: MediaFormat, selector: FormatSelector): boolean {
  if (selector.itag != null && format.itag !== selector.itag) return false;
  if (selector.kind != null && formatKind(format) !== selector.kind) return false;
  if (selector.container != null && format.container !== selector.container.toLowerCase()) return false;
  if (selector.maxHeight != null && format.hasVideo && (format.height ?? 0) > selector.maxHeight)
    return false;
  return true;
}

/**
 * The formats a selector matches, best first. With `quality`, only the best (HIGHEST) or the
 * worst (LOWEST) of them. Manifests (live HLS/DASH) are left out unless asked for by itag.
 */
export function filterFormats(formats: readonly MediaFormat[], selector: FormatSelector = {}): MediaFormat[] {
  if (selector.kind === "MERGED") {
    // What a merged download of this selector would deliver: its video side, then its audio side.
    try {
      const { video, audio } = selectMerge(formats, selector);
      return [video, audio];
    } catch (error) {
      if (error instanceof FormatNotFoundError) return [];
      throw error;
    }
  }
  const found = formats
    .filter((f) => (selector.itag != null || !f.isManifest) && matches(f, selector))
    .sort(compareBestFirst);
  if (selector.quality == null || found.length === 0) return found;
  const pick = selector.quality === "HIGHEST" ? found[0] : found[found.length - 1];
  return pick === undefined ? [] : [pick];
}

/** Exactly one format for a selector; `FormatNotFoundError` when nothing matches. */
export function selectFormat(formats: readonly MediaFormat[], selector: FormatSelector): MediaFormat {
  const [best] = filterFormats(formats, { quality: "HIGHEST", ...selector });
  if (best === undefined) throw new FormatNotFoundError("no format of this video matches the selector");
  return best;
}

/**
 * The pair a `MERGED` selector stands for: the best (or, with `quality: LOWEST`, the worst)
 * video-only format that fits the container (default mp4) within `itag` and `maxHeight`, with the
 * best audio-only format that fits it. Throws `FormatNotFoundError` when no pair fits.
 */
export function selectMerge(formats: readonly MediaFormat[], selector: FormatSelector): MergePair {
  const container = mergeContainerOf(selector.container);
  if (container === undefined)
    throw new FormatNotFoundError("a merged download is written as mp4 or webm, nothing else");
  const candidates = mergeCandidates(formats, container);
  const [video] = filterFormats(candidates.video, {
    itag: selector.itag,
    maxHeight: selector.maxHeight,
    quality: selector.quality ?? "HIGHEST",
  });
  const [audio] = filterFormats(candidates.audio, { quality: "HIGHEST" });
  return pairForMerge(video, audio, container);
}
