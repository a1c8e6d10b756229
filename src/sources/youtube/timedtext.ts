import type { Cue } from "../../core/caption-cues.ts";
import { DowntubeError, UpstreamError, UpstreamTimeoutError } from "../../core/errors.ts";
import type { CaptionRequest } from "../../core/ports.ts";
import type { CaptionTrack } from "../../core/video.ts";
import { readCappedText } from "../read-capped.ts";
import { parseJson3 } from "./json3-captions.ts";
import type { ExtractionFetch } from "./youtube-extractor.ts";

/**
 * The cues of one caption track, read from YouTube's `timedtext` endpoint in `fmt=json3` (the
 * one format with exact millisecond times and no markup to unpick), translated by YouTube when
 * `request.translateTo` is set (`tlang`). The request goes through `fetch`, the adapter's
 * checked YouTube fetch, as metadata requests do. Throws `UpstreamError` (refused, larger than
 * `request.maxBytes`, not json3) or `UpstreamTimeoutError` after `timeoutMs`.
 */
export async function fetchTimedtext(
  fetch: ExtractionFetch,
  track: CaptionTrack,
  request: CaptionRequest,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Cue[]> {
  const url = new URL(track.url);
  url.searchParams.set("fmt", "json3");
  if (request.translateTo !== undefined) url.searchParams.set("tlang", request.translateTo);
  else url.searchParams.delete("tlang");
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url.toString(), { signal: AbortSignal.any([signal, timeout]) });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new UpstreamError(`YouTube answered HTTP ${response.status} for the caption track`);
    }
    return parseJson3(await readCappedText(response, request.maxBytes, "the caption track"));
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (timeout.aborted)
      throw new UpstreamTimeoutError("YouTube did not send the caption track in time", { cause: error });
    if (error instanceof DowntubeError) throw error;
    throw new UpstreamError("could not read the caption track from YouTube", { cause: error });
  }
}
