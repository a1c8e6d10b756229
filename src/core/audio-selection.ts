import { type AudioFormat, audioCodecOf, preferredCodecs } from "./audio-output.ts";
import { BadUserInputError, FormatNotFoundError } from "./errors.ts";
import { type FormatSelector, filterFormats, selectFormat } from "./format-selection.ts";
import type { MediaFormat } from "./video.ts";

/**
 * The source format of an audio download. Without a selector: the best audio-only format, and
 * for M4A or OPUS the best one whose codec the file takes as it is (AAC, Opus), so it is copied
 * rather than re-encoded; a source with no audio-only format (a direct URL's one file) gives its
 * best format with sound. A selector picks among the formats with sound (audio-only ones first
 * when it names neither `itag` nor `kind`). Throws `FormatNotFoundError` when nothing with sound
 * matches, `BadUserInputError` for `kind: MERGED` (an audio file has one source).
 */
export function selectAudioSource(
  formats: readonly MediaFormat[],
  format: AudioFormat,
  selector: FormatSelector | undefined,
): MediaFormat {
  const withSound = formats.filter((f) => f.hasAudio && !f.isManifest);
  if (selector !== undefined) {
    if (selector.kind === "MERGED")
      throw new BadUserInputError("format.kind: an audio file is made from one format, not a merge");
    if (selector.itag == null && selector.kind == null) {
      const [audioOnly] = filterFormats(withSound, { quality: "HIGHEST", ...selector, kind: "AUDIO_ONLY" });
      if (audioOnly !== undefined) return audioOnly;
    }
    return selectFormat(withSound, selector);
  }
  const audioOnly = filterFormats(withSound, { kind: "AUDIO_ONLY" });
  const preferred = preferredCodecs(format);
  const fitting = audioOnly.find((f) => preferred.some((p) => audioCodecOf(f)?.startsWith(p)));
  const [best] = [fitting, ...audioOnly, ...filterFormats(withSound)].filter((f) => f !== undefined);
  if (best === undefined) throw new FormatNotFoundError("this video has no format with sound");
  return best;
}
