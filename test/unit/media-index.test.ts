import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import {
  LONG_KEYFRAME_SECONDS,
  LONG_MEDIA_SECONDS,
  prepareLongMedia,
} from "../../fake-youtube/long-media.ts";
import type { MediaFile } from "../../fake-youtube/media.ts";
import { coveringBytes, MediaIndexError, type MediaSegment } from "../../src/download/clips/media-index.ts";
import { readSidx } from "../../src/download/clips/sidx-index.ts";
import { readWebmCues } from "../../src/download/clips/webm-cues.ts";

let long: ReadonlyMap<number, MediaFile>;
beforeAll(async () => {
  long = await prepareLongMedia();
}, 120_000);

/** The file of `itag`, its bytes, and the segments its index names. */
function indexOf(itag: number): { file: MediaFile; bytes: Uint8Array; segments: MediaSegment[] } {
  const file = long.get(itag);
  if (file?.initRange === undefined || file.indexRange === undefined) throw new Error(`no DASH file ${itag}`);
  const bytes = new Uint8Array(readFileSync(file.path));
  const index = bytes.subarray(file.indexRange.start, file.indexRange.end + 1);
  const segments =
    file.container === "mp4"
      ? readSidx(index, file.indexRange.start)
      : readWebmCues(bytes.subarray(0, file.initRange.end + 1), index, file.size);
  return { file, bytes, segments };
}

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

describe.each([137, 140, 248, 251])("the index of the long video's format %i", (itag) => {
  test("names segments that follow each other without gap from after the index to the file's end", () => {
    const { file, bytes, segments } = indexOf(itag);
    expect(segments[0]?.bytes.start).toBe((file.indexRange?.end ?? 0) + 1);
    // ffmpeg ends an MP4 with a fragment random access box (`mfra`), which is no fragment.
    const end = segments.at(-1)?.bytes.end ?? 0;
    if (end !== file.size - 1) expect(ascii(bytes, end + 5, 4)).toBe("mfra");
    for (const [i, segment] of segments.entries()) {
      const next = segments[i + 1];
      if (next === undefined) continue;
      expect(next.bytes.start).toBe(segment.bytes.end + 1);
      expect(next.startSeconds).toBeCloseTo(segment.endSeconds, 6);
    }
  });

  test("spans the whole timeline, in pieces no longer than a keyframe interval and a bit", () => {
    const { segments } = indexOf(itag);
    expect(segments[0]?.startSeconds).toBeCloseTo(0, 1);
    const last = segments.at(-1);
    expect(last?.startSeconds).toBeLessThan(LONG_MEDIA_SECONDS);
    // An audio WebM's Clusters are cut by the muxer's own limit, a few seconds each.
    for (const s of segments.slice(0, -1)) expect(s.endSeconds - s.startSeconds).toBeLessThan(6);
    expect(segments.length).toBeGreaterThan(LONG_MEDIA_SECONDS / 6);
  });

  test("points at the start of a fragment or a Cluster", () => {
    const { bytes, segments, file } = indexOf(itag);
    for (const segment of segments) {
      if (file.container === "mp4") expect(ascii(bytes, segment.bytes.start + 4, 4)).toBe("moof");
      else
        expect([...bytes.subarray(segment.bytes.start, segment.bytes.start + 4)]).toEqual([
          0x1f, 0x43, 0xb6, 0x75,
        ]);
    }
  });
});

describe("the bytes that cover a time range", () => {
  const segments: MediaSegment[] = [0, 1, 2, 3].map((i) => ({
    startSeconds: i * 2,
    endSeconds: i * 2 + 2,
    bytes: { start: 100 + i * 10, end: 109 + i * 10 },
  }));

  test("run from the segment holding the start to the one holding the end", () => {
    expect(coveringBytes(segments, 2.5, 5)).toEqual({ start: 110, end: 129 });
  });

  test("are one segment for a range inside it, and leave out a segment that starts at the end", () => {
    expect(coveringBytes(segments, 2.1, 2.9)).toEqual({ start: 110, end: 119 });
    expect(coveringBytes(segments, 0, 4)).toEqual({ start: 100, end: 119 });
  });

  test("reach the last segment for a range to the end, and are none past it", () => {
    expect(coveringBytes(segments, 7, 8)).toEqual({ start: 130, end: 139 });
    expect(coveringBytes(segments, 8, 9)).toBeUndefined();
  });
});

describe("an index that is not what it should be", () => {
  test("a sidx cut short, or another box, is refused as an index", () => {
    const { file, bytes } = indexOf(137);
    const start = file.indexRange?.start ?? 0;
    const end = file.indexRange?.end ?? 0;
    expect(() => readSidx(bytes.subarray(start, end - 20), start)).toThrow(MediaIndexError);
    expect(() => readSidx(bytes.subarray(0, 64), 0)).toThrow(MediaIndexError);
    expect(() => readSidx(new Uint8Array(4), 0)).toThrow(MediaIndexError);
  });

  test("Cues cut short, or bytes that are no WebM, are refused as an index", () => {
    const { file, bytes } = indexOf(248);
    const init = bytes.subarray(0, (file.initRange?.end ?? 0) + 1);
    const cues = bytes.subarray(file.indexRange?.start ?? 0, (file.indexRange?.end ?? 0) + 1);
    expect(() => readWebmCues(init, cues.subarray(0, 3), file.size)).toThrow(MediaIndexError);
    expect(() => readWebmCues(new Uint8Array(16), cues, file.size)).toThrow(MediaIndexError);
    expect(() => readWebmCues(init, init, file.size)).toThrow(MediaIndexError);
  });

  test("Cues that point past the file are refused", () => {
    const { file, bytes } = indexOf(251);
    const init = bytes.subarray(0, (file.initRange?.end ?? 0) + 1);
    const cues = bytes.subarray(file.indexRange?.start ?? 0, (file.indexRange?.end ?? 0) + 1);
    expect(() => readWebmCues(init, cues, 1000)).toThrow(MediaIndexError);
  });
});

test("the long video has a keyframe every few seconds, as the clip tests assume", () => {
  const { segments } = indexOf(137);
  expect(segments[1]?.startSeconds).toBeCloseTo(LONG_KEYFRAME_SECONDS, 3);
});
