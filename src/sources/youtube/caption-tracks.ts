import type { CaptionTrack, Language } from "../../core/video.ts";

/** The caption tracks of a video and the languages they translate into, source-neutral. */
export interface VideoCaptions {
  readonly captions: readonly CaptionTrack[];
  readonly captionTranslationLanguages: readonly Language[];
}

/** One key of an object of YouTube's answer, or undefined when it is no object. */
const pick = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (at, key) => (typeof at === "object" && at !== null ? Reflect.get(at, key) : undefined),
    value,
  );

const NONE: VideoCaptions = { captions: [], captionTranslationLanguages: [] };
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

/** YouTube's text objects: `{ simpleText }`, `{ runs: [{ text }] }`, or youtubei.js's `Text` (`text`). */
function plainText(value: unknown): string | undefined {
  if (typeof value === "string") return nonEmpty(value);
  const runs = list(pick(value, "runs"))
    .map((run) => pick(run, "text"))
    .filter((t) => typeof t === "string");
  return nonEmpty(pick(value, "simpleText")) ?? nonEmpty(pick(value, "text")) ?? nonEmpty(runs.join(""));
}

/** One track, or undefined when the answer lacks what a track needs (a URL and a language). */
function track(
  url: unknown,
  languageCode: unknown,
  name: unknown,
  kind: unknown,
  translatable: unknown,
): CaptionTrack | undefined {
  const href = nonEmpty(url);
  const code = nonEmpty(languageCode);
  if (href === undefined || code === undefined) return undefined;
  return {
    languageCode: code,
    name: plainText(name) ?? code,
    kind: kind === "asr" ? "auto" : "manual",
    translatable: translatable === true,
    url: href,
  };
}

const defined = <T>(value: T | undefined): value is T => value !== undefined;

/**
 * The tracks of a raw player response (`captions.playerCaptionsTracklistRenderer`), as the
 * watch page's `ytInitialPlayerResponse` and `/player` give it (ytdl-core passes it on as is).
 */
export function captionsOfPlayerResponse(playerResponse: unknown): VideoCaptions {
  const renderer = pick(playerResponse, "captions", "playerCaptionsTracklistRenderer");
  if (renderer === undefined) return NONE;
  return {
    captions: list(pick(renderer, "captionTracks"))
      .map((t) =>
        track(
          pick(t, "baseUrl"),
          pick(t, "languageCode"),
          pick(t, "name"),
          pick(t, "kind"),
          pick(t, "isTranslatable"),
        ),
      )
      .filter(defined),
    captionTranslationLanguages: languages(
      list(pick(renderer, "translationLanguages")).map((l) => [
        pick(l, "languageCode"),
        pick(l, "languageName"),
      ]),
    ),
  };
}

/** The tracks youtubei.js parsed (`info.captions`: `caption_tracks`, `translation_languages`). */
export function captionsOfYouTubeI(captions: unknown): VideoCaptions {
  if (captions === undefined) return NONE;
  return {
    captions: list(pick(captions, "caption_tracks"))
      .map((t) =>
        track(
          pick(t, "base_url"),
          pick(t, "language_code"),
          pick(t, "name"),
          pick(t, "kind"),
          pick(t, "is_translatable"),
        ),
      )
      .filter(defined),
    captionTranslationLanguages: languages(
      list(pick(captions, "translation_languages")).map((l) => [
        pick(l, "language_code"),
        pick(l, "language_name"),
      ]),
    ),
  };
}

function languages(pairs: readonly [unknown, unknown][]): Language[] {
  return pairs.flatMap(([code, name]) => {
    const c = nonEmpty(code);
    return c === undefined ? [] : [{ code: c, name: plainText(name) ?? c }];
  });
}
