import type { AudioRequest } from "../core/audio-output.ts";
import { FfmpegUnavailableError, LiveNotSupportedError, MergeUnavailableError } from "../core/errors.ts";
import {
  DEFAULT_DOWNLOAD_SELECTOR,
  type FormatSelector,
  selectFormat,
  selectMerge,
} from "../core/format-selection.ts";
import type { MediaFormat, VideoInfo } from "../core/video.ts";
import { essenceOf } from "../download/filename.ts";
import { audioChoice } from "./audio-choice.ts";
import type { Delivery } from "./download-claims.ts";

/** What a ticket delivers, before it is signed. */
export interface Choice {
  readonly delivery: Delivery;
  readonly mimeType: string;
  readonly format: MediaFormat;
  readonly audioFormat: MediaFormat | undefined;
  readonly contentLength: number | undefined;
  readonly estimatedContentLength: number | undefined;
  /** The filename's extension when the MIME type alone does not say it (`.opus`). */
  readonly extension?: string;
}

/** No selector: the best muxed mp4, or the only format of a video that has one (a direct URL). */
function defaultSelector(video: VideoInfo): FormatSelector {
  const [only, ...others] = video.formats;
  return only !== undefined && others.length === 0 ? { itag: only.itag } : DEFAULT_DOWNLOAD_SELECTOR;
}

/**
 * The delivery of one video for a selector: a merge for `MERGED` (refused without ffmpeg), else
 * one format served as it is. Throws `FormatNotFoundError`, `LiveNotSupportedError` and
 * `MergeUnavailableError`.
 */
async function chooseDelivery(
  video: VideoInfo,
  selector: FormatSelector,
  canRunFfmpeg: () => Promise<boolean>,
): Promise<Choice> {
  if (selector.kind === "MERGED") {
    const pair = selectMerge(video.formats, selector);
    if (!(await canRunFfmpeg()))
      throw new MergeUnavailableError("merged downloads need ffmpeg, which this gateway does not have");
    const sizes = [pair.video.contentLength, pair.audio.contentLength];
    return {
      delivery: {
        kind: "merge",
        video: pair.video.itag,
        audio: pair.audio.itag,
        container: pair.container,
      },
      mimeType: `video/${pair.container}`,
      format: pair.video,
      audioFormat: pair.audio,
      contentLength: undefined,
      estimatedContentLength: sizes.every((n) => n !== undefined)
        ? sizes.reduce((a, b) => a + b, 0)
        : undefined,
    };
  }
  const format = selectFormat(video.formats, selector);
  if (format.isManifest) throw new LiveNotSupportedError("this format is a live manifest, not a file");
  return {
    delivery: { kind: "file", itag: format.itag },
    mimeType: essenceOf(format.mimeType),
    format,
    audioFormat: undefined,
    contentLength: format.contentLength,
    estimatedContentLength: format.contentLength,
  };
}

/**
 * The delivery a download request comes to: an audio file when it asks for one (refused without
 * ffmpeg), else {@link chooseDelivery} for its selector (the default one when it names none).
 * Throws `BadUserInputError`, `FormatNotFoundError`, `LiveNotSupportedError`,
 * `MergeUnavailableError` and `FfmpegUnavailableError`.
 */
export async function chooseFor(
  video: VideoInfo,
  request: { readonly format?: FormatSelector | undefined; readonly audio?: AudioRequest | undefined },
  canRunFfmpeg: () => Promise<boolean>,
): Promise<Choice> {
  if (request.audio === undefined)
    return chooseDelivery(video, request.format ?? defaultSelector(video), canRunFfmpeg);
  const choice = audioChoice(video, request.audio, request.format);
  if (!(await canRunFfmpeg()))
    throw new FfmpegUnavailableError("audio files are made by ffmpeg, which this gateway does not have");
  return choice;
}
