import { describe, expect, test } from "bun:test";
import { type AudioRequest, decideAudio, estimateAudioBytes } from "../../src/core/audio-output.ts";
import { selectAudioSource } from "../../src/core/audio-selection.ts";
import { audioTagsOf, coverCandidates, coverImageType } from "../../src/core/audio-tags.ts";
import { BadUserInputError, FormatNotFoundError } from "../../src/core/errors.ts";
import type { VideoInfo } from "../../src/core/video.ts";
import { mediaFormat } from "../support/media-format.ts";

const audioOnly = (itag: number, mimeType: string, audioBitrate: number) =>
  mediaFormat(itag, {
    mimeType,
    container: mimeType.split(/[/;]/)[1],
    hasVideo: false,
    audioBitrate,
    contentLength: 1000,
  });
const AAC = audioOnly(140, 'audio/mp4; codecs="mp4a.40.2"', 128);
const OPUS = audioOnly(251, 'audio/webm; codecs="opus"', 160);
const MUXED = mediaFormat(18, { mimeType: 'video/mp4; codecs="avc1.42001E, mp4a.40.2"', height: 360 });
const VIDEO_ONLY = mediaFormat(137, {
  mimeType: 'video/mp4; codecs="avc1.640028"',
  hasAudio: false,
  height: 1080,
});
const ALL = [MUXED, VIDEO_ONLY, AAC, OPUS];

const ask = (format: AudioRequest["format"], bitrateKbps?: number): AudioRequest => ({
  format,
  bitrateKbps,
  metadata: true,
});

describe("what an audio download makes of its source", () => {
  test("copies AAC into M4A and Opus into OPUS, never re-encoding them", () => {
    expect(decideAudio(AAC, ask("M4A"))).toMatchObject({ file: "m4a", copy: true, bitrateKbps: undefined });
    expect(decideAudio(OPUS, ask("OPUS"))).toMatchObject({
      file: "opus",
      copy: true,
      bitrateKbps: undefined,
    });
  });

  test("encodes what the file cannot carry as it is, at the file's default bitrate", () => {
    expect(decideAudio(OPUS, ask("MP3"))).toMatchObject({ file: "mp3", copy: false, bitrateKbps: 192 });
    expect(decideAudio(AAC, ask("OPUS"))).toMatchObject({ file: "opus", copy: false, bitrateKbps: 128 });
    expect(decideAudio(OPUS, ask("M4A"))).toMatchObject({ file: "m4a", copy: false, bitrateKbps: 160 });
    expect(decideAudio(AAC, ask("FLAC"))).toMatchObject({
      file: "flac",
      copy: false,
      bitrateKbps: undefined,
    });
  });

  test("a bitrate asked of a file that could be copied makes it an encode at that bitrate", () => {
    expect(decideAudio(OPUS, ask("OPUS", 64))).toMatchObject({ copy: false, bitrateKbps: 64 });
  });

  test("ORIGINAL copies into the codec's own file, or the container's when the codec is not named", () => {
    const file = (format: Parameters<typeof mediaFormat>[1]) =>
      decideAudio(mediaFormat(1, format), ask("ORIGINAL"));
    expect(decideAudio(AAC, ask("ORIGINAL"))).toMatchObject({ file: "m4a", copy: true });
    expect(decideAudio(OPUS, ask("ORIGINAL"))).toMatchObject({ file: "opus", copy: true });
    expect(decideAudio(MUXED, ask("ORIGINAL")).file).toBe("m4a");
    expect(file({ mimeType: "audio/mpeg", container: "mp3", hasVideo: false }).file).toBe("mp3");
    expect(file({ mimeType: "video/webm", container: "webm" }).file).toBe("webm");
    expect(() => file({ mimeType: "video/x-matroska", container: "mkv" })).toThrow(FormatNotFoundError);
  });

  test.each([
    ["FLAC", 128],
    ["WAV", 128],
    ["ORIGINAL", 128],
    ["MP3", 31],
    ["MP3", 321],
    ["MP3", 128.5],
  ] as const)("refuses %s at %d kbit/s as bad input", (format, kbps) => {
    expect(() => decideAudio(AAC, ask(format, kbps))).toThrow(BadUserInputError);
  });
});

describe("which format an audio download is made from", () => {
  test("the best audio-only format, or for M4A and OPUS the best one they can copy", () => {
    expect(selectAudioSource(ALL, "MP3", undefined).itag).toBe(251);
    expect(selectAudioSource(ALL, "M4A", undefined).itag).toBe(140);
    expect(selectAudioSource(ALL, "OPUS", undefined).itag).toBe(251);
  });

  test("a source without audio-only formats gives its best format with sound", () => {
    expect(selectAudioSource([VIDEO_ONLY, MUXED], "MP3", undefined).itag).toBe(18);
  });

  test("a selector picks among formats with sound, audio-only first unless it names itag or kind", () => {
    expect(selectAudioSource(ALL, "MP3", { container: "mp4" }).itag).toBe(140);
    expect(selectAudioSource(ALL, "MP3", { itag: 18 }).itag).toBe(18);
    expect(() => selectAudioSource(ALL, "MP3", { itag: 137 })).toThrow(FormatNotFoundError);
    expect(() => selectAudioSource(ALL, "MP3", { kind: "MERGED" })).toThrow(BadUserInputError);
  });
});

describe("how big an audio file is estimated to be", () => {
  test("a copy is its source's size; an encode is duration times bitrate; WAV is 16-bit stereo PCM", () => {
    expect(estimateAudioBytes(decideAudio(AAC, ask("M4A")), AAC, 60)).toBe(1000);
    expect(estimateAudioBytes(decideAudio(AAC, ask("MP3", 128)), AAC, 60)).toBe(60 * 16_000);
    expect(estimateAudioBytes(decideAudio(OPUS, ask("WAV")), OPUS, 60)).toBe(60 * 48_000 * 4 + 44);
    expect(estimateAudioBytes(decideAudio(AAC, ask("MP3")), AAC, undefined)).toBeUndefined();
  });
});

describe("tags and cover", () => {
  const video = {
    title: "A talk",
    author: { id: undefined, name: "A channel", url: undefined, verified: false },
    publishDate: "2021-07-04T10:00:00-07:00",
    url: "https://www.youtube.com/watch?v=abc",
  } as VideoInfo;

  test("take the title, the channel, the upload day and the video's URL", () => {
    expect(audioTagsOf(video)).toEqual({
      title: "A talk",
      artist: "A channel",
      date: "2021-07-04",
      comment: "https://www.youtube.com/watch?v=abc",
    });
  });

  test("try the largest JPEG and PNG thumbnails first, at most three", () => {
    const at = (name: string, width: number) => ({
      url: `https://i.ytimg.com/vi/abc/${name}`,
      width,
      height: width,
    });
    const picked = coverCandidates([
      at("a.jpg", 120),
      at("max.webp", 1920),
      at("b.jpg", 640),
      at("c.png", 480),
    ]);
    expect(picked.map((t) => t.url.split("/").at(-1))).toEqual(["b.jpg", "c.png", "a.jpg"]);
  });

  test("know a JPEG or a PNG by its first bytes, and nothing else", () => {
    expect(coverImageType(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
    expect(coverImageType(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe("image/png");
    expect(coverImageType(new TextEncoder().encode("RIFF....WEBP"))).toBeUndefined();
    expect(coverImageType(new Uint8Array(0))).toBeUndefined();
  });
});
