import { BadUserInputError, CaptionsNotFoundError } from "./errors.ts";
import type { CaptionKind, CaptionTrack, VideoInfo } from "./video.ts";

/** Which caption track a client asks for. */
export interface CaptionChoice {
  /** The track's language, as `Video.captions` lists it (compared without regard to case). */
  readonly languageCode: string;
  /** Undefined: the manual track when there is one, else the automatic one. */
  readonly kind?: CaptionKind | undefined;
  /** A language of `Video.captionTranslationLanguages`, for the track translated by the source. */
  readonly translateTo?: string | undefined;
}

/** The most caption languages one video download may embed. */
export const MAX_EMBEDDED_CAPTIONS = 8;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The track a choice names. Throws `CaptionsNotFoundError` when the video has no track in that
 * language (and kind), `BadUserInputError` when a translation is asked of a track that cannot
 * be translated or into a language the video does not offer.
 */
export function selectCaptionTrack(video: VideoInfo, choice: CaptionChoice): CaptionTrack {
  const inLanguage = video.captions.filter((t) => same(t.languageCode, choice.languageCode));
  const track =
    choice.kind === undefined
      ? (inLanguage.find((t) => t.kind === "manual") ?? inLanguage[0])
      : inLanguage.find((t) => t.kind === choice.kind);
  if (track === undefined) {
    const kind = choice.kind === undefined ? "" : ` ${choice.kind === "auto" ? "automatic" : "manual"}`;
    const offered = video.captions.map((t) => t.languageCode).join(", ") || "none";
    throw new CaptionsNotFoundError(
      `this video has no${kind} captions in ${choice.languageCode} (it has: ${offered})`,
    );
  }
  if (choice.translateTo !== undefined) {
    if (!track.translatable) {
      throw new BadUserInputError(
        `captions.translateTo: the ${track.languageCode} captions cannot be translated`,
      );
    }
    if (!video.captionTranslationLanguages.some((l) => same(l.code, choice.translateTo ?? ""))) {
      throw new BadUserInputError(
        `captions.translateTo: ${choice.translateTo} is not a language this video's captions translate into`,
      );
    }
  }
  return track;
}

/**
 * The tracks to embed in a video download, one per language code (manual first). Throws
 * `BadUserInputError` for more than {@link MAX_EMBEDDED_CAPTIONS} languages or a language named
 * twice, `CaptionsNotFoundError` for a language without a track.
 */
export function selectEmbeddedTracks(video: VideoInfo, languages: readonly string[]): CaptionTrack[] {
  if (languages.length > MAX_EMBEDDED_CAPTIONS) {
    throw new BadUserInputError(
      `embedCaptions: at most ${MAX_EMBEDDED_CAPTIONS} languages, not ${languages.length}`,
    );
  }
  const lowered = languages.map((l) => l.toLowerCase());
  if (new Set(lowered).size !== lowered.length) {
    throw new BadUserInputError("embedCaptions: a language is named twice");
  }
  return languages.map((languageCode) => selectCaptionTrack(video, { languageCode }));
}
