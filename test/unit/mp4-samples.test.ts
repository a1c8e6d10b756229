import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { LONG_KEYFRAME_SECONDS, prepareLongMedia } from "../../fake-youtube/long-media.ts";
import { MediaIndexError } from "../../src/download/clips/media-index.ts";
import { boxes } from "../../src/download/clips/mp4-boxes.ts";
import { readMoov, sampleSpan, type TrackSamples } from "../../src/download/clips/mp4-samples.ts";

let file: Uint8Array;
let tracks: TrackSamples[];
beforeAll(async () => {
  const long = await prepareLongMedia();
  file = new Uint8Array(readFileSync(long.get(18)?.path ?? ""));
  const moov = [...boxes(file)].find((box) => box.type === "moov");
  tracks = readMoov(file.subarray(0, moov?.end));
}, 120_000);

const mdatOf = () => {
  const mdat = [...boxes(file)].find((box) => box.type === "mdat");
  if (mdat === undefined) throw new Error("no mdat");
  return mdat;
};

describe("the sample tables of a progressive MP4", () => {
  test("list a video and an audio track whose samples all lie inside the mdat", () => {
    expect(tracks.map((t) => t.handler).sort()).toEqual(["soun", "vide"]);
    const mdat = mdatOf();
    for (const track of tracks) {
      for (let i = 0; i < track.offsets.length; i++) {
        expect(track.offsets[i]).toBeGreaterThanOrEqual(mdat.payload);
        expect((track.offsets[i] ?? 0) + (track.sizes[i] ?? 0)).toBeLessThanOrEqual(mdat.end);
      }
    }
  });

  test("mark a keyframe every keyframe interval of the video, and every audio sample", () => {
    const video = tracks.find((t) => t.handler === "vide");
    const keyTimes = [...(video?.times ?? [])].filter((_, i) => video?.keyframes[i] === 1);
    expect(keyTimes[1]).toBeCloseTo(LONG_KEYFRAME_SECONDS, 3);
    const audio = tracks.find((t) => t.handler === "soun");
    expect(audio?.keyframes.every((k) => k === 1)).toBe(true);
  });

  test("a sample's bytes are the bytes its track's encoder wrote: each video keyframe starts a NAL unit", () => {
    const video = tracks.find((t) => t.handler === "vide");
    const at = video?.offsets[0] ?? 0;
    // A length-prefixed NAL unit: its 4-byte length fits inside the sample.
    const length = new DataView(file.buffer, file.byteOffset + at, 4).getUint32(0);
    expect(length).toBeLessThan(video?.sizes[0] ?? 0);
  });
});

describe("the bytes a clip of a progressive MP4 needs", () => {
  test("start at the video keyframe at or before the start and hold every sample up to the end", () => {
    const span = sampleSpan(tracks, 123.3, 133.3);
    expect(span).toBeDefined();
    const video = tracks.find((t) => t.handler === "vide");
    const keyframe = [...(video?.times ?? [])].findIndex((t, i) => t === 122 && video?.keyframes[i] === 1);
    expect(keyframe).toBeGreaterThan(0);
    expect(span?.start).toBeLessThanOrEqual(video?.offsets[keyframe] ?? 0);
    for (const track of tracks) {
      const last = [...track.times].findLastIndex((t) => t < 133.3);
      expect(span?.end).toBeGreaterThanOrEqual((track.offsets[last] ?? 0) + (track.sizes[last] ?? 0) - 1);
    }
    expect((span?.end ?? 0) - (span?.start ?? 0)).toBeLessThan(file.length * 0.05);
  });

  test("are none past the last sample", () => {
    expect(sampleSpan(tracks, 10_000, 10_001)).toBeUndefined();
  });

  test("cannot be read from a moov cut short", () => {
    const moov = [...boxes(file)].find((box) => box.type === "moov");
    expect(() => readMoov(file.subarray(0, (moov?.end ?? 0) - 100))).toThrow(MediaIndexError);
  });
});
