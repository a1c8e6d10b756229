import { describe, expect, test } from "bun:test";
import type { AudioDecision } from "../../src/core/audio-output.ts";
import type { CoverImage } from "../../src/core/audio-tags.ts";
import type { JobInput } from "../../src/core/ffmpeg-job.ts";
import { audioJob } from "../../src/download/jobs/audio-job.ts";
import { jobArguments } from "../../src/media/ffmpeg-arguments.ts";

const never: JobInput = { open: () => Promise.reject(new Error("arguments only: nothing is opened")) };
const tags = {
  title: 'a "title" $(rm -rf /)\nline two',
  artist: "someone",
  date: "2021-07-04",
  comment: "https://x",
};
const cover: CoverImage = { bytes: Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3), mimeType: "image/jpeg" };
const decision = (fields: Partial<AudioDecision>): AudioDecision => ({
  file: "mp3",
  copy: false,
  bitrateKbps: 192,
  metadata: true,
  ...fields,
});
const valuesOf = (args: readonly string[], option: string) =>
  args.flatMap((arg, i) => (arg === option ? [args[i + 1]] : []));

describe("the ffmpeg job of an audio file", () => {
  test("an MP3 carries its tags and cover in an ID3v2 tag sent ahead of ffmpeg, which writes none", () => {
    const job = audioJob(decision({}), { source: never, tags, cover });
    expect(new TextDecoder().decode(job.prefix?.subarray(0, 4))).toBe("ID3\u0003");
    expect(job.metadata).toBeUndefined();
    expect(job.streams).toEqual([{ input: 0, type: "audio", codec: "libmp3lame", bitrateKbps: 192 }]);
    const args = jobArguments(job);
    expect(valuesOf(args, "-id3v2_version")).toEqual(["0"]);
    expect(valuesOf(args, "-f")).toEqual(["mp3"]);
  });

  test("an MP3 without tags has no prefix, and ffmpeg's own header is left alone", () => {
    const job = audioJob(decision({ metadata: false }), { source: never, tags: undefined, cover: undefined });
    expect(job.prefix).toBeUndefined();
    expect(jobArguments(job)).not.toContain("-id3v2_version");
  });

  test("a FLAC takes the cover as an attached picture read from its own pipe, and the tags as arguments", () => {
    const job = audioJob(decision({ file: "flac", bitrateKbps: undefined }), { source: never, tags, cover });
    const args = jobArguments(job);
    expect(valuesOf(args, "-map")).toEqual(["0:a:0", "1:v:0"]);
    expect(valuesOf(args, "-disposition:1")).toEqual(["attached_pic"]);
    expect(valuesOf(args, "-metadata:s:1")).toEqual(["comment=Cover (front)"]);
    expect(valuesOf(args, "-f")).toEqual(["jpeg_pipe", "flac"]);
    expect(valuesOf(args, "-metadata")).toContain(`title=${tags.title}`);
  });

  test("a copied M4A maps the source's audio as it is, tagged, with no cover", () => {
    const job = audioJob(decision({ file: "m4a", copy: true, bitrateKbps: undefined }), {
      source: never,
      tags,
      cover,
    });
    expect(job.inputs).toHaveLength(1);
    const args = jobArguments(job);
    expect(valuesOf(args, "-c:0")).toEqual(["copy"]);
    expect(args.some((arg) => arg.startsWith("-b:"))).toBe(false);
    expect(valuesOf(args, "-metadata")).toEqual(Object.entries(tags).map(([k, v]) => `${k}=${v}`));
  });
});
