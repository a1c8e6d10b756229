/**
 * The `initRange` and `indexRange` a player response declares for a DASH-shaped file, measured
 * on the file itself by walking its top-level structure (MP4 boxes, WebM elements). Kept apart
 * from the gateway's own index readers on purpose: the simulated YouTube states what is true of
 * its files, and the gateway has to find the same by itself.
 */

/** Both ends inclusive, as YouTube writes them. */
export interface DeclaredRange {
  start: number;
  end: number;
}

/** What a DASH-shaped file declares: its header and its index. */
export interface DashRanges {
  initRange: DeclaredRange;
  indexRange: DeclaredRange;
}

/** MP4: `ftyp` + `moov` are the header, the `sidx` right after them the index. */
function mp4Ranges(bytes: Uint8Array): DashRanges | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let moovEnd: number | undefined;
  for (let at = 0; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (size < 8) return undefined;
    if (type === "moov") moovEnd = at + size - 1;
    if (type === "sidx") {
      return moovEnd === undefined
        ? undefined
        : { initRange: { start: 0, end: moovEnd }, indexRange: { start: at, end: at + size - 1 } };
    }
    at += size;
  }
  return undefined;
}

/** An EBML variable-length number at `at`: its value (marker kept for ids) and its length. */
function vint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number } {
  const first = bytes[at] ?? 0;
  let length = 1;
  while (length <= 8 && (first & (0x100 >> length)) === 0) length++;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + (bytes[at + i] ?? 0);
  return { value, length };
}

const SEGMENT = 0x18538067;
const CUES = 0x1c53bb6b;
const CLUSTER = 0x1f43b675;

/** WebM: everything before the Cues is the header, the Cues (before the first Cluster) the index. */
function webmRanges(bytes: Uint8Array): DashRanges | undefined {
  const element = (at: number) => {
    const id = vint(bytes, at, true);
    const size = vint(bytes, at + id.length, false);
    return { id: id.value, dataAt: at + id.length + size.length, size: size.value };
  };
  const header = element(0);
  const segment = element(header.dataAt + header.size);
  if (segment.id !== SEGMENT) return undefined;
  for (let at = segment.dataAt; at < bytes.length; ) {
    const child = element(at);
    if (child.id === CLUSTER) return undefined;
    if (child.id === CUES) {
      return {
        initRange: { start: 0, end: at - 1 },
        indexRange: { start: at, end: child.dataAt + child.size - 1 },
      };
    }
    at = child.dataAt + child.size;
  }
  return undefined;
}

/** The ranges of a DASH-shaped file, or undefined when it has no index where YouTube puts it. */
export function measureDashRanges(bytes: Uint8Array, container: "mp4" | "webm"): DashRanges | undefined {
  return container === "mp4" ? mp4Ranges(bytes) : webmRanges(bytes);
}
