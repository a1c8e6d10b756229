import { MediaIndexError, type MediaSegment } from "./media-index.ts";

// Matroska element ids (with their length marker, as written).
const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const CUES = 0x1c53bb6b;
const CUE_POINT = 0xbb;
const CUE_TIME = 0xb3;
const CUE_TRACK_POSITIONS = 0xb7;
const CUE_CLUSTER_POSITION = 0xf1;

interface Element {
  readonly id: number;
  /** Where the element's data starts and ends (exclusive), in the buffer. */
  readonly dataStart: number;
  readonly dataEnd: number;
}

/** An EBML variable-length integer: its value (with the marker for an id) and its length. */
function vint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number } {
  const first = bytes[at];
  if (first === undefined || first === 0)
    throw new MediaIndexError("a WebM element is cut short or malformed");
  let length = 1;
  while ((first & (0x100 >> length)) === 0) length++;
  if (at + length > bytes.length) throw new MediaIndexError("a WebM element is cut short");
  let value = keepMarker ? first : first & (0xff >> length);
  let unknown = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = bytes[at + i] ?? 0;
    unknown &&= byte === 0xff;
    value = value * 256 + byte;
  }
  // A size of all ones means "unknown" (a live Segment): the element runs to the end of the data.
  return { value: !keepMarker && unknown ? Number.POSITIVE_INFINITY : value, length };
}

function element(bytes: Uint8Array, at: number, limit: number): Element {
  const id = vint(bytes, at, true);
  const size = vint(bytes, at + id.length, false);
  const dataStart = at + id.length + size.length;
  return { id: id.value, dataStart, dataEnd: Math.min(dataStart + size.value, limit) };
}

/** The children of the data in `[start, end)`. */
function* children(bytes: Uint8Array, start: number, end: number): Generator<Element> {
  for (let at = start; at < end; ) {
    const child = element(bytes, at, end);
    yield child;
    at = child.dataEnd;
  }
}

function unsigned(bytes: Uint8Array, e: Element): number {
  let value = 0;
  for (let i = e.dataStart; i < e.dataEnd; i++) value = value * 256 + (bytes[i] ?? 0);
  return value;
}

function float(bytes: Uint8Array, e: Element): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + e.dataStart, e.dataEnd - e.dataStart);
  return e.dataEnd - e.dataStart === 4 ? view.getFloat32(0) : view.getFloat64(0);
}

/** What the header of a WebM file says that the Cues need. */
interface WebmHeader {
  /** File offset of the Segment's data: Cue positions count from there. */
  readonly segmentStart: number;
  /** Nanoseconds per timecode unit. */
  readonly timecodeScale: number;
  readonly durationSeconds: number | undefined;
}

function readHeader(init: Uint8Array): WebmHeader {
  const ebml = element(init, 0, init.length);
  if (ebml.id !== EBML) throw new MediaIndexError("not a WebM file");
  const segment = element(init, ebml.dataEnd, init.length);
  if (segment.id !== SEGMENT) throw new MediaIndexError("no Segment after the WebM header");
  let timecodeScale = 1_000_000;
  let duration: number | undefined;
  for (const child of children(init, segment.dataStart, segment.dataEnd)) {
    if (child.id !== INFO) continue;
    for (const field of children(init, child.dataStart, child.dataEnd)) {
      if (field.id === TIMECODE_SCALE) timecodeScale = unsigned(init, field);
      if (field.id === DURATION) duration = float(init, field);
    }
    break;
  }
  if (timecodeScale <= 0) throw new MediaIndexError("the WebM header has no timecode scale");
  const durationSeconds = duration === undefined ? undefined : (duration * timecodeScale) / 1e9;
  return { segmentStart: segment.dataStart, timecodeScale, durationSeconds };
}

/**
 * Reads the Cues of a WebM file (YouTube's WebM adaptive formats put them before the first
 * Cluster) as the byte ranges of the Clusters they point to. `init` is the file from its first
 * byte through at least the Segment's Info; `cues` holds exactly the Cues element; `fileSize`
 * ends the last Cluster. Throws {@link MediaIndexError} when either is not what it should be.
 */
export function readWebmCues(init: Uint8Array, cues: Uint8Array, fileSize: number): MediaSegment[] {
  const header = readHeader(init);
  const root = element(cues, 0, cues.length);
  if (root.id !== CUES) throw new MediaIndexError("no Cues element here");
  const starts = new Map<number, number>();
  for (const point of children(cues, root.dataStart, root.dataEnd)) {
    if (point.id !== CUE_POINT) continue;
    let time: number | undefined;
    const positions: number[] = [];
    for (const field of children(cues, point.dataStart, point.dataEnd)) {
      if (field.id === CUE_TIME) time = unsigned(cues, field);
      if (field.id !== CUE_TRACK_POSITIONS) continue;
      for (const entry of children(cues, field.dataStart, field.dataEnd)) {
        if (entry.id === CUE_CLUSTER_POSITION) positions.push(unsigned(cues, entry));
      }
    }
    if (time === undefined) continue;
    for (const position of positions) starts.set(position, Math.min(starts.get(position) ?? time, time));
  }
  const points = [...starts].sort(([a], [b]) => a - b);
  if (points.length === 0) throw new MediaIndexError("the Cues point to no Cluster");
  const seconds = (time: number) => (time * header.timecodeScale) / 1e9;
  return points.map(([position, time], i) => {
    const next = points[i + 1];
    const start = header.segmentStart + position;
    const end = next === undefined ? fileSize - 1 : header.segmentStart + next[0] - 1;
    if (end < start || end >= fileSize) throw new MediaIndexError("a Cue points outside the file");
    return {
      startSeconds: seconds(time),
      endSeconds:
        next === undefined ? (header.durationSeconds ?? Number.POSITIVE_INFINITY) : seconds(next[1]),
      bytes: { start, end },
    };
  });
}
