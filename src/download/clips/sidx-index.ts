import { MediaIndexError, type MediaSegment } from "./media-index.ts";

/**
 * Reads an MP4 Segment Index box (`sidx`, ISO/IEC 14496-12 §8.16.3), the index of YouTube's MP4
 * adaptive formats: one reference per fragment, each with its size and duration.
 * `box` holds exactly the box; `boxOffset` is where it starts in the file (offsets in the box are
 * counted from the first byte after it). Throws {@link MediaIndexError} for anything but a
 * well-formed, flat `sidx` (a reference to another `sidx` is not followed).
 */
export function readSidx(box: Uint8Array, boxOffset: number): MediaSegment[] {
  const view = new DataView(box.buffer, box.byteOffset, box.byteLength);
  const need = (bytes: number) => {
    if (bytes > box.byteLength) throw new MediaIndexError("the sidx box is cut short");
  };
  need(12);
  let size = view.getUint32(0);
  let at = 8;
  if (size === 1) {
    need(16);
    size = Number(view.getBigUint64(8));
    at = 16;
  }
  if (String.fromCharCode(...box.subarray(4, 8)) !== "sidx") throw new MediaIndexError("no sidx box here");
  if (size > box.byteLength) throw new MediaIndexError("the sidx box is cut short");
  const version = view.getUint8(at);
  at += 4 + 4; // version and flags, reference_ID
  need(at + 4);
  const timescale = view.getUint32(at);
  at += 4;
  if (timescale === 0) throw new MediaIndexError("the sidx box has no timescale");
  need(at + (version === 0 ? 8 : 16) + 4);
  const earliest = version === 0 ? view.getUint32(at) : Number(view.getBigUint64(at));
  const firstOffset = version === 0 ? view.getUint32(at + 4) : Number(view.getBigUint64(at + 8));
  at += version === 0 ? 8 : 16;
  const count = view.getUint16(at + 2);
  at += 4;
  need(at + count * 12);
  const segments: MediaSegment[] = [];
  let offset = boxOffset + size + firstOffset;
  let time = earliest;
  for (let i = 0; i < count; i++, at += 12) {
    const reference = view.getUint32(at);
    const duration = view.getUint32(at + 4);
    if (reference >>> 31 === 1) throw new MediaIndexError("hierarchical sidx indexes are not read");
    const length = reference & 0x7fffffff;
    if (length === 0) throw new MediaIndexError("the sidx box names an empty fragment");
    segments.push({
      startSeconds: time / timescale,
      endSeconds: (time + duration) / timescale,
      bytes: { start: offset, end: offset + length - 1 },
    });
    offset += length;
    time += duration;
  }
  return segments;
}
