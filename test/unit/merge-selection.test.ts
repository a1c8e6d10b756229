import { describe, expect, test } from "bun:test";
import { FormatNotFoundError } from "../../src/core/errors.ts";
import { filterFormats, selectMerge } from "../../src/core/format-selection.ts";
import type { MediaFormat } from "../../src/core/video.ts";
import { mediaFormat } from "../support/media-format.ts";

const video = (itag: number, height: number, mimeType: string, bitrate: number, videoCodec?: string) =>
  mediaFormat(itag, { height, fps: 30, bitrate, mimeType, videoCodec, hasAudio: false });
const audio = (itag: number, audioBitrate: number, mimeType: string) =>
  mediaFormat(itag, { audioBitrate, bitrate: audioBitrate * 1000, mimeType, hasVideo: false });

// A YouTube-like offer: H.264 and VP9 up to 1080p, AV1 up to 2160p (in mp4), AAC and Opus.
const h264_720 = video(136, 720, 'video/mp4; codecs="avc1.4d401f"', 1_500_000);
const h264_1080 = video(137, 1080, 'video/mp4; codecs="avc1.640028"', 4_000_000);
const vp9_1080 = video(248, 1080, 'video/webm; codecs="vp9"', 2_500_000);
const av1_2160 = video(401, 2160, 'video/mp4; codecs="av01.0.12M.08"', 12_000_000);
const aac = audio(140, 128, 'audio/mp4; codecs="mp4a.40.2"');
const opus = audio(251, 160, 'audio/webm; codecs="opus"');
const opusLow = audio(250, 64, 'audio/webm; codecs="opus"');
const muxed = mediaFormat(18, { height: 360, mimeType: 'video/mp4; codecs="avc1.42001E, mp4a.40.2"' });
const all: MediaFormat[] = [muxed, h264_720, h264_1080, vp9_1080, av1_2160, aac, opusLow, opus];

const itags = (pair: { video: MediaFormat; audio: MediaFormat }) => [pair.video.itag, pair.audio.itag];

describe("selectMerge", () => {
  test("mp4 (the default) pairs the best H.264 or AV1 video with AAC", () => {
    expect(itags(selectMerge(all, { kind: "MERGED" }))).toEqual([401, 140]);
    expect(selectMerge(all, { kind: "MERGED" }).container).toBe("mp4");
  });

  test("webm pairs the best VP9 or AV1 video with the best Opus", () => {
    expect(itags(selectMerge(all, { kind: "MERGED", container: "WebM" }))).toEqual([401, 251]);
    expect(itags(selectMerge(all, { kind: "MERGED", container: "webm", maxHeight: 1080 }))).toEqual([
      248, 251,
    ]);
  });

  test("maxHeight, quality and itag narrow the video side only", () => {
    expect(itags(selectMerge(all, { kind: "MERGED", maxHeight: 1080 }))).toEqual([137, 140]);
    expect(itags(selectMerge(all, { kind: "MERGED", quality: "LOWEST" }))).toEqual([136, 140]);
    expect(itags(selectMerge(all, { kind: "MERGED", itag: 137 }))).toEqual([137, 140]);
  });

  test("reads the codec from the source's own field when the MIME type names none", () => {
    const bare = video(299, 1080, "video/mp4", 5_000_000, "avc1.64002a");
    expect(itags(selectMerge([bare, aac], { kind: "MERGED" }))).toEqual([299, 140]);
  });

  test("answers FORMAT_NOT_FOUND when a side has nothing that fits", () => {
    expect(() => selectMerge([h264_1080, opus], { kind: "MERGED" })).toThrow(FormatNotFoundError);
    expect(() => selectMerge([h264_1080, aac], { kind: "MERGED", container: "webm" })).toThrow(
      FormatNotFoundError,
    );
    expect(() => selectMerge(all, { kind: "MERGED", maxHeight: 480 })).toThrow(FormatNotFoundError);
    expect(() => selectMerge(all, { kind: "MERGED", container: "mkv" })).toThrow(FormatNotFoundError);
    expect(() => selectMerge([muxed], { kind: "MERGED" })).toThrow(FormatNotFoundError);
  });

  test("never takes a manifest", () => {
    const live = { ...av1_2160, itag: 402, isManifest: true };
    expect(itags(selectMerge([live, h264_1080, aac], { kind: "MERGED" }))).toEqual([137, 140]);
  });
});

describe("filterFormats with kind MERGED", () => {
  test("lists what the merge would deliver: its video side, then its audio side", () => {
    expect(
      filterFormats(all, { kind: "MERGED", container: "webm", maxHeight: 1080 }).map((f) => f.itag),
    ).toEqual([248, 251]);
  });

  test("lists nothing when no pair fits", () => {
    expect(filterFormats([muxed, aac], { kind: "MERGED" })).toEqual([]);
  });
});
