import type { ByteRange } from "../../core/ports.ts";
import type { FormatBytes } from "../format-bytes.ts";
import { MediaIndexError, type MediaSegment } from "./media-index.ts";
import { readSidx } from "./sidx-index.ts";
import { readWebmCues } from "./webm-cues.ts";

/** What a clip needs of a DASH-shaped format before its fragments: its header and its index. */
export interface FormatIndex {
  /** The file's header (`initRange`): what a decoder needs before any fragment. */
  readonly init: Uint8Array;
  /** The fragments (MP4) or Clusters (WebM), in file order. */
  readonly segments: readonly MediaSegment[];
}

/**
 * The most an index read may bring into memory. A two-hour video's `sidx` is about 20 kB, its
 * Cues a few kB; anything far larger is not an index to trust.
 */
const MAX_INDEX_BYTES = 4 * 1024 * 1024;

/**
 * Reads `range` of the format into memory (small ranges only). Throws `MediaIndexError` when the
 * origin sends another length, and what `FormatBytes.open` throws.
 */
export async function readRange(
  bytes: FormatBytes,
  range: ByteRange,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const body = (await bytes.open(range, signal)).body;
  const read = new Uint8Array(await new Response(body).arrayBuffer());
  if (read.length !== range.end - range.start + 1)
    throw new MediaIndexError("the origin sent a different length than the range asked");
  return read;
}

/**
 * Reads the header and the index a format declares (`initRange`, `indexRange`: YouTube's adaptive
 * formats), in one ranged read when the index follows the header, as it does on YouTube.
 * Undefined when the format declares none, or when what it declares is not an index this reads
 * (a `MediaIndexError`): the clip then reads the whole format. Throws what `FormatBytes.open`
 * throws (the origin's failures).
 */
export async function readFormatIndex(
  bytes: FormatBytes,
  signal: AbortSignal,
): Promise<FormatIndex | undefined> {
  const { initRange: init, indexRange: index, container } = bytes.format;
  if (init === undefined || index === undefined || init.start !== 0) return undefined;
  if (container !== "mp4" && container !== "webm") return undefined;
  if (index.end - init.start + 1 > MAX_INDEX_BYTES) return undefined;
  try {
    const adjacent = index.start === init.end + 1;
    const head = await readRange(bytes, { start: 0, end: adjacent ? index.end : init.end }, signal);
    const header = head.subarray(0, init.end + 1);
    const indexBytes = adjacent ? head.subarray(index.start) : await readRange(bytes, index, signal);
    const segments =
      container === "mp4"
        ? readSidx(indexBytes, index.start)
        : readWebmCues(header, indexBytes, await bytes.size(signal));
    return { init: header, segments };
  } catch (error) {
    if (error instanceof MediaIndexError) return undefined;
    throw error;
  }
}
