import { describe, expect, test } from "bun:test";
import { FormatNotFoundError } from "../../src/core/errors.ts";
import { DEFAULT_DOWNLOAD_SELECTOR, filterFormats, selectFormat } from "../../src/core/format-selection.ts";
import { mediaFormat } from "../support/media-format.ts";

const format = mediaFormat;

const muxed360 = format(18, { height: 360, bitrate: 500_000, audioBitrate: 96 });
const muxed720 = format(22, { height: 720, bitrate: 1_500_000, audioBitrate: 192 });
const video1080 = format(137, { height: 1080, fps: 30, bitrate: 4_000_000, hasAudio: false });
const webm1080 = format(248, {
  height: 1080,
  fps: 30,
  bitrate: 2_000_000,
  hasAudio: false,
  container: "webm",
});
const audio128 = format(140, { hasVideo: false, audioBitrate: 128, bitrate: 130_000, container: "mp4" });
const audio160 = format(251, { hasVideo: false, audioBitrate: 160, bitrate: 150_000, container: "webm" });
const hls = format(95, { height: 720, isManifest: true });
const all = [audio128, muxed360, hls, webm1080, audio160, muxed720, video1080];

describe("filterFormats", () => {
  test("lists every downloadable format best first and leaves manifests out", () => {
    expect(filterFormats(all).map((f) => f.itag)).toEqual([137, 248, 22, 18, 251, 140]);
  });

  test("narrows by kind", () => {
    expect(filterFormats(all, { kind: "AUDIO_ONLY" }).map((f) => f.itag)).toEqual([251, 140]);
    expect(filterFormats(all, { kind: "VIDEO_ONLY" }).map((f) => f.itag)).toEqual([137, 248]);
    expect(filterFormats(all, { kind: "MUXED" }).map((f) => f.itag)).toEqual([22, 18]);
  });

  test("narrows by container, whatever its case", () => {
    expect(filterFormats(all, { container: "WEBM" }).map((f) => f.itag)).toEqual([248, 251]);
  });

  test("leaves out video taller than maxHeight but keeps audio", () => {
    expect(filterFormats(all, { maxHeight: 720 }).map((f) => f.itag)).toEqual([22, 18, 251, 140]);
  });

  test("quality keeps only one end of what matched", () => {
    expect(filterFormats(all, { kind: "MUXED", quality: "HIGHEST" }).map((f) => f.itag)).toEqual([22]);
    expect(filterFormats(all, { kind: "MUXED", quality: "LOWEST" }).map((f) => f.itag)).toEqual([18]);
  });

  test("finds a manifest only when asked for by itag", () => {
    expect(filterFormats(all, { itag: 95 }).map((f) => f.itag)).toEqual([95]);
  });

  test("answers an empty list when nothing matches", () => {
    expect(filterFormats(all, { itag: 999 })).toEqual([]);
    expect(filterFormats(all, { itag: 999, quality: "HIGHEST" })).toEqual([]);
  });
});

describe("selectFormat", () => {
  test("defaults to the best muxed mp4", () => {
    expect(selectFormat(all, DEFAULT_DOWNLOAD_SELECTOR).itag).toBe(22);
  });

  test("throws FORMAT_NOT_FOUND when nothing matches", () => {
    expect(() => selectFormat([audio128], DEFAULT_DOWNLOAD_SELECTOR)).toThrow(FormatNotFoundError);
  });
});
