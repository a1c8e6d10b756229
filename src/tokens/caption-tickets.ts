import { CAPTION_CONTENT_TYPES, type CaptionFormat } from "../core/caption-file.ts";
import { type CaptionChoice, selectCaptionTrack, selectEmbeddedTracks } from "../core/caption-selection.ts";
import { BadUserInputError } from "../core/errors.ts";
import type { MediaFormat, VideoInfo } from "../core/video.ts";
import { buildFilename } from "../download/filename.ts";
import type { CaptionsDelivery, EmbeddedCaption } from "./download-claims.ts";

/** A caption file asked for in `prepareDownload`. */
export interface CaptionsRequest extends CaptionChoice {
  readonly format: CaptionFormat;
}

/** What a caption file ticket delivers. */
export interface CaptionsTicketChoice {
  readonly delivery: CaptionsDelivery;
  readonly mimeType: string;
  readonly filename: string;
}

/**
 * A language code as a file name part: letters, digits and `-` only, short enough that a capped
 * title with two of them stays within a token's 255 characters.
 */
const nameTag = (code: string) => code.replace(/[^A-Za-z0-9-]/g, "").slice(0, 12) || "und";

/**
 * The delivery, type and file name (`Title.en.vtt`, `Title.en-de.srt` when translated) of a
 * caption file. Throws `CaptionsNotFoundError` and `BadUserInputError` like `selectCaptionTrack`.
 */
export function captionsTicket(
  video: VideoInfo,
  request: CaptionsRequest,
  title: string,
): CaptionsTicketChoice {
  const track = selectCaptionTrack(video, request);
  const translateTo = video.captionTranslationLanguages.find(
    (l) => l.code.toLowerCase() === request.translateTo?.toLowerCase(),
  )?.code;
  const language =
    nameTag(track.languageCode) + (translateTo === undefined ? "" : `-${nameTag(translateTo)}`);
  const plain = buildFilename(title, request.format);
  return {
    delivery: {
      kind: "captions",
      languageCode: track.languageCode,
      captionKind: track.kind,
      format: request.format,
      ...(translateTo === undefined ? {} : { translateTo }),
    },
    mimeType: CAPTION_CONTENT_TYPES[request.format],
    filename: `${plain.slice(0, -request.format.length - 1)}.${language}.${request.format}`,
  };
}

/**
 * The caption tracks embedded in a video download: one per language, in a container that holds
 * subtitles (MP4: mov_text, WebM: WebVTT). Throws `BadUserInputError` for a download without
 * video, another container, too many languages, `CaptionsNotFoundError` for a missing language.
 */
export function embeddedCaptions(
  video: VideoInfo,
  languages: readonly string[],
  delivered: MediaFormat | undefined,
  container: string | undefined,
): EmbeddedCaption[] {
  if (delivered?.hasVideo !== true)
    throw new BadUserInputError("embedCaptions: only video downloads can hold captions");
  if (container !== "mp4" && container !== "webm") {
    throw new BadUserInputError(
      `embedCaptions: a ${container ?? "format"} file cannot hold captions (mp4 or webm can)`,
    );
  }
  return selectEmbeddedTracks(video, languages).map((t) => ({ languageCode: t.languageCode, kind: t.kind }));
}
