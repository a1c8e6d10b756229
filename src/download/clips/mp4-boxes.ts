import { MediaIndexError } from "./media-index.ts";

/** One ISO BMFF box inside a buffer: its type and where its payload is. */
export interface Box {
  readonly type: string;
  /** Offset of the box's first byte (its size field) in the buffer. */
  readonly start: number;
  /** Offset of its payload, after the size and type (and the 64-bit size when there is one). */
  readonly payload: number;
  /** Offset just past its last byte. */
  readonly end: number;
}

/**
 * The boxes one after another in `bytes[from, to)`. A box that runs past `to` ends the walk with
 * its declared end (a top-level `mdat` read only in part), so callers can still see where it is.
 * Throws {@link MediaIndexError} for a size that cannot be.
 */
export function* boxes(bytes: Uint8Array, from = 0, to = bytes.length): Generator<Box> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = from; at + 8 <= to; ) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    let payload = at + 8;
    if (size === 1) {
      if (at + 16 > to) return;
      size = Number(view.getBigUint64(at + 8));
      payload = at + 16;
    } else if (size === 0) {
      size = Number.POSITIVE_INFINITY; // to the end of the file
    }
    if (size < payload - at) throw new MediaIndexError(`a ${type} box declares an impossible size`);
    yield { type, start: at, payload, end: at + size };
    at += size;
  }
}

/** The first child of `parent` of `type`, or undefined. */
export function child(bytes: Uint8Array, parent: Box, type: string): Box | undefined {
  for (const box of boxes(bytes, parent.payload, Math.min(parent.end, bytes.length))) {
    if (box.type === type) return box;
  }
  return undefined;
}

/** The box at the end of `path` under `parent` (`["mdia", "minf", "stbl"]`), or undefined. */
export function descend(bytes: Uint8Array, parent: Box, path: readonly string[]): Box | undefined {
  let at: Box | undefined = parent;
  for (const type of path) at = at === undefined ? undefined : child(bytes, at, type);
  return at;
}
