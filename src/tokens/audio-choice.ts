import { AUDIO_FILES, type AudioRequest, decideAudio, estimateAudioBytes } from "../core/audio-output.ts";
import { selectAudioSource } from "../core/audio-selection.ts";
import type { FormatSelector } from "../core/format-selection.ts";
import type { MediaFormat, VideoInfo } from "../core/video.ts";
import type { AudioDelivery } from "./download-claims.ts";

/** What an audio ticket delivers, before it is signed. */
export interface AudioChoice {
  readonly delivery: AudioDelivery;
  readonly mimeType: string;
  /** `.opus` is an Ogg file: the extension does not follow from the type alone. */
  readonly extension: string;
  /** The source format. */
  readonly format: MediaFormat;
  readonly audioFormat: undefined;
  /** Never known in advance: the file is made as it streams. */
  readonly contentLength: undefined;
  readonly estimatedContentLength: number | undefined;
}

/**
 * The audio file `request` asks for, made from the video's best audio (or what `selector`
 * picks). Throws `FormatNotFoundError` and `BadUserInputError` (see `selectAudioSource` and
 * `decideAudio`).
 */
export function audioChoice(
  video: VideoInfo,
  request: AudioRequest,
  selector: FormatSelector | undefined,
): AudioChoice {
  const format = selectAudioSource(video.formats, request.format, selector);
  const decision = decideAudio(format, request);
  const spec = AUDIO_FILES[decision.file];
  return {
    delivery: { kind: "audio", itag: format.itag, ...decision },
    mimeType: spec.mimeType,
    extension: spec.extension,
    format,
    audioFormat: undefined,
    contentLength: undefined,
    estimatedContentLength: estimateAudioBytes(decision, format, video.durationSeconds),
  };
}
