import type { ByteRange } from "../../core/ports.ts";
import type { FormatBytes } from "../format-bytes.ts";
import { readRange } from "./format-index.ts";
import { MediaIndexError } from "./media-index.ts";
import { boxes } from "./mp4-boxes.ts";
import { readMoov, sampleSpan } from "./mp4-samples.ts";

/** What a clip of a progressive MP4 sends ffmpeg: the file's head, a gap, then the samples it needs. */
export interface ProgressiveClip {
  /** `ftyp`, `moov` and the `mdat` box's header: everything before the first sample. */
  readonly head: Uint8Array;
  /** The samples the clip needs, from the first ffmpeg reads after seeking to the last before the end. */
  readonly span: ByteRange;
}

/** A first read that holds the head of short files; the rest of a larger `moov` is read next. */
const FIRST_READ = 64 * 1024;
/** The largest `moov` read into memory (a two-hour video's is a few MB). */
const MAX_HEAD = 32 * 1024 * 1024;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * Plans a clip of a progressive MP4 whose `moov` comes first (YouTube's muxed itag 18, most
 * files on the web): reads the head, finds in the sample tables which bytes hold the samples of
 * `[startSeconds, endSeconds)` (from the video's keyframe at or before the start). ffmpeg, given
 * the head, then as many zeros as the bytes skipped, then those samples, seeks over the zeros by
 * reading them and never decodes them. Undefined for anything else (a `moov` at the end, another
 * container, tables that cannot be read): the clip reads the file from its start then. Throws
 * what `FormatBytes.open` throws.
 */
export async function planProgressiveClip(
  bytes: FormatBytes,
  startSeconds: number,
  endSeconds: number,
  signal: AbortSignal,
): Promise<ProgressiveClip | undefined> {
  if (bytes.format.container !== "mp4") return undefined;
  const size = await bytes.size(signal);
  try {
    let head: Uint8Array = new Uint8Array(0);
    let length = FIRST_READ;
    for (let attempt = 0; attempt < 3 && length <= MAX_HEAD; attempt++) {
      // Each read continues the one before: no byte of the head is asked for twice.
      const more = await readRange(bytes, { start: head.length, end: Math.min(size, length) - 1 }, signal);
      head = concat(head, more);
      const top = [...boxes(head)];
      const moov = top.find((box) => box.type === "moov");
      const mdat = top.find((box) => box.type === "mdat");
      if (mdat !== undefined && (moov === undefined || moov.start > mdat.start)) return undefined;
      if (
        moov !== undefined &&
        mdat !== undefined &&
        moov.end <= head.length &&
        mdat.payload <= head.length
      ) {
        const span = sampleSpan(readMoov(head.subarray(0, moov.end)), startSeconds, endSeconds);
        if (span === undefined || span.start < mdat.payload || span.end >= size) return undefined;
        return { head: head.slice(0, mdat.payload), span };
      }
      const last = top.at(-1);
      if (last === undefined || head.length >= size) return undefined;
      length = Math.max(last.end + 16, length * 2);
    }
    return undefined;
  } catch (error) {
    if (error instanceof MediaIndexError) return undefined;
    throw error;
  }
}
