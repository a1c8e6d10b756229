import { cleanCues } from "../core/caption-cues.ts";
import { type CaptionFormat, formatCaptions } from "../core/caption-file.ts";
import { type CaptionChoice, selectCaptionTrack } from "../core/caption-selection.ts";
import { UnsupportedMediaError, UpstreamError } from "../core/errors.ts";
import type { VideoRef } from "../core/video.ts";
import type { VideoService } from "../core/video-service.ts";

/** What reading a caption file needs. */
export interface CaptionTextDeps {
  readonly videos: VideoService;
  /** `DOWNTUBE_MAX_CAPTION_BYTES`: the most a track may weigh as sent, and as written. */
  readonly maxCaptionBytes: number;
}

/** How one caption file is read. */
export interface CaptionTextOptions {
  readonly format: CaptionFormat;
  /** Extract the video again rather than read its metadata from the cache (a refresh). */
  readonly fresh?: boolean;
  readonly signal: AbortSignal;
}

/**
 * One caption track of a video as a file the gateway wrote itself: the track is chosen from the
 * video's metadata, its cues read through the video's source (its egress, its origin), checked
 * (`cleanCues`) and written as WebVTT or SubRip. Throws `CaptionsNotFoundError` and
 * `BadUserInputError` (`selectCaptionTrack`), `UnsupportedMediaError` for a source without
 * captions, `UpstreamError` for a track the source refuses, one that is too large or unreadable,
 * `UpstreamTimeoutError`, and the source's metadata errors.
 */
export async function readCaptionText(
  deps: CaptionTextDeps,
  ref: VideoRef,
  choice: CaptionChoice,
  options: CaptionTextOptions,
): Promise<string> {
  const video = await deps.videos.getInfo(ref, { fresh: options.fresh === true });
  const track = selectCaptionTrack(video, choice);
  const source = deps.videos.sourceOf(ref);
  if (source.captions === undefined) throw new UnsupportedMediaError("this source has no captions");
  const cues = await source.captions(
    ref,
    track,
    { translateTo: choice.translateTo, maxBytes: deps.maxCaptionBytes },
    options.signal,
  );
  const text = formatCaptions(cleanCues(cues), options.format);
  if (Buffer.byteLength(text) > deps.maxCaptionBytes) {
    throw new UpstreamError(`the caption file would be larger than ${deps.maxCaptionBytes} bytes`);
  }
  return text;
}

/** Text held in memory as a byte stream of one chunk (a file's body, an ffmpeg input). */
export function textStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}
