import type { ByteRange } from "../../core/ports.ts";
import { MediaIndexError } from "./media-index.ts";
import { type Box, boxes, child, descend } from "./mp4-boxes.ts";

/** Where each sample of one track of a progressive MP4 is, from its `moov` sample tables. */
export interface TrackSamples {
  readonly handler: string;
  /** Decode time of each sample, in seconds. */
  readonly times: Float64Array;
  /** File offset and size of each sample. */
  readonly offsets: Float64Array;
  readonly sizes: Uint32Array;
  /** Whether each sample is a keyframe (every sample when the track has no `stss`). */
  readonly keyframes: Uint8Array;
}

/** A full box's payload after its version and flags, as a DataView over the whole buffer. */
function table(
  bytes: Uint8Array,
  box: Box | undefined,
  name: string,
): { view: DataView; at: number; version: number } {
  if (box === undefined) throw new MediaIndexError(`a track has no ${name}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (box.end > bytes.length) throw new MediaIndexError(`the ${name} box is cut short`);
  return { view, at: box.payload + 4, version: bytes[box.payload] ?? 0 };
}

function trackSamples(bytes: Uint8Array, trak: Box): TrackSamples | undefined {
  const mdia = child(bytes, trak, "mdia");
  const hdlr = mdia && child(bytes, mdia, "hdlr");
  const handler =
    hdlr === undefined ? "" : String.fromCharCode(...bytes.subarray(hdlr.payload + 8, hdlr.payload + 12));
  if (handler !== "vide" && handler !== "soun") return undefined;
  const mdhd = table(bytes, mdia && child(bytes, mdia, "mdhd"), "mdhd");
  const timescale = mdhd.view.getUint32(mdhd.at + (mdhd.version === 1 ? 16 : 8));
  if (timescale === 0) throw new MediaIndexError("a track has no timescale");
  const stbl = mdia && descend(bytes, mdia, ["minf", "stbl"]);
  if (stbl === undefined) throw new MediaIndexError("a track has no sample table");

  const stsz = table(bytes, child(bytes, stbl, "stsz"), "stsz");
  const uniform = stsz.view.getUint32(stsz.at);
  const count = stsz.view.getUint32(stsz.at + 4);
  const sizes = new Uint32Array(count);
  for (let i = 0; i < count; i++)
    sizes[i] = uniform !== 0 ? uniform : stsz.view.getUint32(stsz.at + 8 + i * 4);

  const times = new Float64Array(count);
  const stts = table(bytes, child(bytes, stbl, "stts"), "stts");
  for (let e = 0, sample = 0, time = 0, n = stts.view.getUint32(stts.at); e < n; e++) {
    const run = stts.view.getUint32(stts.at + 4 + e * 8);
    const delta = stts.view.getUint32(stts.at + 8 + e * 8);
    for (let i = 0; i < run && sample < count; i++, sample++, time += delta) times[sample] = time / timescale;
  }

  const keyframes = new Uint8Array(count);
  const stssBox = child(bytes, stbl, "stss");
  if (stssBox === undefined) keyframes.fill(1);
  else {
    const stss = table(bytes, stssBox, "stss");
    for (let e = 0, n = stss.view.getUint32(stss.at); e < n; e++) {
      const sample = stss.view.getUint32(stss.at + 4 + e * 4) - 1;
      if (sample >= 0 && sample < count) keyframes[sample] = 1;
    }
  }

  const co64 = child(bytes, stbl, "co64");
  const stco = table(bytes, co64 ?? child(bytes, stbl, "stco"), "stco");
  const chunks = stco.view.getUint32(stco.at);
  const chunkOffset = (c: number) =>
    co64 === undefined
      ? stco.view.getUint32(stco.at + 4 + c * 4)
      : Number(stco.view.getBigUint64(stco.at + 4 + c * 8));
  const stsc = table(bytes, child(bytes, stbl, "stsc"), "stsc");
  const runs = stsc.view.getUint32(stsc.at);
  const offsets = new Float64Array(count);
  let sample = 0;
  for (let r = 0; r < runs; r++) {
    const firstChunk = stsc.view.getUint32(stsc.at + 4 + r * 12) - 1;
    const perChunk = stsc.view.getUint32(stsc.at + 8 + r * 12);
    const lastChunk = r + 1 < runs ? stsc.view.getUint32(stsc.at + 4 + (r + 1) * 12) - 1 : chunks;
    for (let c = firstChunk; c < lastChunk && c < chunks; c++) {
      let offset = chunkOffset(c);
      for (let i = 0; i < perChunk && sample < count; i++, sample++) {
        offsets[sample] = offset;
        offset += sizes[sample] ?? 0;
      }
    }
  }
  if (sample !== count) throw new MediaIndexError("a track's chunks do not hold all its samples");
  return { handler, times, offsets, sizes, keyframes };
}

/** The `moov` of a progressive MP4 whose `moov` comes before its `mdat`, read into tracks. */
export function readMoov(head: Uint8Array): TrackSamples[] {
  const moov = [...boxes(head)].find((box) => box.type === "moov");
  if (moov === undefined || moov.end > head.length) throw new MediaIndexError("no whole moov box here");
  const tracks: TrackSamples[] = [];
  for (const trak of boxes(head, moov.payload, moov.end)) {
    if (trak.type !== "trak") continue;
    const samples = trackSamples(head, trak);
    if (samples !== undefined) tracks.push(samples);
  }
  if (tracks.length === 0) throw new MediaIndexError("the moov has no audio or video track");
  return tracks;
}

/** The last sample at or before `seconds` (a keyframe when `keyframe`), or 0. */
function sampleAt(track: TrackSamples, seconds: number, keyframe: boolean): number {
  let found = 0;
  for (let i = 0; i < track.times.length && (track.times[i] ?? 0) <= seconds; i++) {
    if (!keyframe || track.keyframes[i] === 1) found = i;
  }
  return found;
}

/** Where a track's last sample ends, in seconds (it lasts as long as the one before it). */
function endOf(track: TrackSamples): number {
  const n = track.times.length;
  const last = track.times[n - 1] ?? 0;
  return last + (n > 1 ? last - (track.times[n - 2] ?? 0) : 0);
}

/**
 * The bytes of a progressive MP4 that a clip of `[startSeconds, endSeconds)` needs: from the
 * first sample ffmpeg reads after seeking (the video's last keyframe at or before the start, and
 * every track from that keyframe's time, a second earlier to be safe) to the last sample before
 * the end. Undefined when no sample is in the range.
 */
export function sampleSpan(
  tracks: readonly TrackSamples[],
  startSeconds: number,
  endSeconds: number,
): ByteRange | undefined {
  if (tracks.every((track) => startSeconds >= endOf(track))) return undefined;
  const video = tracks.find((t) => t.handler === "vide");
  const from = video === undefined ? startSeconds : (video.times[sampleAt(video, startSeconds, true)] ?? 0);
  let start = Number.POSITIVE_INFINITY;
  let end = -1;
  for (const track of tracks) {
    const first = sampleAt(track, track === video ? from : from - 1, track === video);
    for (let i = first; i < track.times.length && (track.times[i] ?? 0) < endSeconds; i++) {
      const offset = track.offsets[i] ?? 0;
      start = Math.min(start, offset);
      end = Math.max(end, offset + (track.sizes[i] ?? 0) - 1);
    }
  }
  return end < 0 ? undefined : { start, end };
}
