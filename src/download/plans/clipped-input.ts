import { UpstreamError } from "../../core/errors.ts";
import type { JobInput, TimeRange } from "../../core/ffmpeg-job.ts";
import { readFormatIndex } from "../clips/format-index.ts";
import { coveringBytes } from "../clips/media-index.ts";
import { planProgressiveClip } from "../clips/progressive-mp4.ts";
import { type FormatBytes, openWhole } from "../format-bytes.ts";
import type { PlanContext } from "./plan-context.ts";

/** Zeros are handed out in pieces of this size. */
const ZERO_CHUNK = 64 * 1024;

/**
 * `head`, then `zeros` zero bytes (the part of a file ffmpeg skips over), then every chunk of
 * `body`; cancelling it cancels `body` (and its origin request).
 */
function prepend(head: Uint8Array, body: ReadableStream<Uint8Array>, zeros = 0): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let headSent = false;
  let zerosLeft = zeros;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headSent) {
          headSent = true;
          controller.enqueue(head.slice());
          return;
        }
        if (zerosLeft > 0) {
          const piece = Math.min(zerosLeft, ZERO_CHUNK);
          zerosLeft -= piece;
          controller.enqueue(new Uint8Array(piece));
          return;
        }
        const read = await reader.read();
        if (read.done) controller.close();
        else controller.enqueue(read.value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * The part of a format a clip of `range` needs, as an ffmpeg input, metered against the token's
 * allowance like `wholeInput` (`copySize`: what one copy may read). A format that declares its
 * header and index (YouTube's adaptive formats) is read as its header, then the one span of
 * fragments (MP4) or Clusters (WebM) that covers the range, from the one whose keyframe is at or
 * before its start: a valid file by itself, and a few percent of the whole for a short clip. A
 * progressive MP4 (`moov` first) is read as its head, then only the samples of the range, the
 * bytes between sent as zeros that ffmpeg skips over when it seeks on its pipe. Any other format
 * is read from its start; ffmpeg seeks by reading forward and stops reading once past the range. Every read goes through `FormatBytes.open` (ranged, refreshed on a
 * 403, address-checked). Opening throws the origin's errors, and `UpstreamError` when the index
 * has nothing in the range.
 */
export function clippedInput(
  context: PlanContext,
  bytes: FormatBytes,
  range: TimeRange,
  copySize: number,
): JobInput {
  return {
    open: async (signal) => {
      const meter = (body: ReadableStream<Uint8Array>) =>
        context.deps.allowance.meter(context.claims, copySize, body);
      const index = await readFormatIndex(bytes, signal);
      if (index === undefined) {
        const progressive = await planProgressiveClip(bytes, range.startSeconds, range.endSeconds, signal);
        if (progressive === undefined) return meter(await openWhole(bytes, signal));
        const { head, span } = progressive;
        const samples = (await bytes.open(span, signal)).body;
        // Only what the origin sends counts against the allowance, never the zeros.
        return prepend(head, meter(samples), span.start - head.length);
      }
      const span = coveringBytes(index.segments, range.startSeconds, range.endSeconds);
      if (span === undefined)
        throw new UpstreamError(`format ${bytes.format.itag} has nothing between the clip's start and end`);
      const body = (await bytes.open(span, signal)).body;
      return prepend(index.init, meter(body));
    },
  };
}
