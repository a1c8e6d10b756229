import type { ByteRange } from "../../core/ports.ts";

/**
 * One independently decodable piece of a DASH-shaped file (an MP4 `moof`+`mdat` fragment, a WebM
 * Cluster or run of Clusters) as its index names it: where its bytes are and which seconds of the
 * media it holds. Each starts on a keyframe.
 */
export interface MediaSegment {
  /** Seconds of the media's timeline where the segment starts. */
  readonly startSeconds: number;
  /** Where the next segment starts (the end of the media for the last one; may be Infinity). */
  readonly endSeconds: number;
  /** Byte offsets in the file, both ends inclusive. */
  readonly bytes: ByteRange;
}

/** Thrown when an index cannot be read: the clip then reads the whole format instead. */
export class MediaIndexError extends Error {
  override readonly name = "MediaIndexError";
}

/**
 * The one contiguous byte range of the segments that hold any of `[startSeconds, endSeconds)`:
 * from the segment where the clip starts (its first keyframe is at or before `startSeconds`) to
 * the one where it ends. Undefined when no segment overlaps the range (a clip past the end).
 * Segments must be in file order, as an index lists them.
 */
export function coveringBytes(
  segments: readonly MediaSegment[],
  startSeconds: number,
  endSeconds: number,
): ByteRange | undefined {
  const covering = segments.filter((s) => s.endSeconds > startSeconds && s.startSeconds < endSeconds);
  const first = covering[0];
  const last = covering.at(-1);
  if (first === undefined || last === undefined) return undefined;
  return { start: first.bytes.start, end: last.bytes.end };
}
