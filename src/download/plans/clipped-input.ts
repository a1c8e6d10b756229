import { UpstreamError } from "../../core/errors.ts";
import type { JobInput, TimeRange } from "../../core/ffmpeg-job.ts";
import { readFormatIndex } from "../clips/format-index.ts";
import { coveringBytes } from "../clips/media-index.ts";
import { type FormatBytes, openWhole } from "../format-bytes.ts";
import type { PlanContext } from "./plan-context.ts";

/** `head`, then every chunk of `body`; cancelling it cancels `body` (and its origin request). */
function prepend(head: Uint8Array, body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let headSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headSent) {
          headSent = true;
          controller.enqueue(head.slice());
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
 * before its start: a valid file by itself, and a few percent of the whole for a short clip. Any
 * other format is read whole, from its start, and ffmpeg seeks in it by reading forward; it stops
 * reading once past the range. Every read goes through `FormatBytes.open` (ranged, refreshed on a
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
      if (index === undefined) return meter(await openWhole(bytes, signal));
      const span = coveringBytes(index.segments, range.startSeconds, range.endSeconds);
      if (span === undefined)
        throw new UpstreamError(`format ${bytes.format.itag} has nothing between the clip's start and end`);
      const body = (await bytes.open(span, signal)).body;
      return meter(prepend(index.init, body));
    },
  };
}
