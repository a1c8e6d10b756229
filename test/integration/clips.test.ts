/**
 * Clips as a client gets them: a time range of the simulated YouTube's ten-minute DASH-shaped
 * video (H.264/AAC MP4 with a sidx, VP9/Opus WebM with Cues), cut by the gateway's ffmpeg from
 * only the fragments that cover it, saved with curl, checked with ffprobe, a full decode, and
 * the origin's own count of the bytes it sent.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CAPTION_VIDEO_IDS } from "../../fake-youtube/captions.ts";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import {
  LONG_KEYFRAME_SECONDS,
  LONG_MEDIA_SECONDS,
  prepareLongMedia,
} from "../../fake-youtube/long-media.ts";
import type { MediaFile } from "../../fake-youtube/media.ts";
import { prepareClip, requestClip, streamSpans } from "../support/clips.ts";
import { decodeErrors, eventually, ffmpegChildren, runCommand } from "../support/merges.ts";
import { metric } from "../support/metrics.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

/** Making the long media the first time takes about half a minute of a busy machine. */
const HEAVY_MS = 120_000;

let stack: Stack;
let dir: string;
let long: ReadonlyMap<number, MediaFile>;
beforeAll(async () => {
  long = await prepareLongMedia();
  stack = await startStack();
  dir = await mkdtemp(join(tmpdir(), "downtube-clips-"));
}, HEAVY_MS);
afterAll(async () => {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
});

const sizeOf = (itag: number) => long.get(itag)?.size ?? Number.NaN;
/** What a clip may read besides its fragments: the header and the index of each format. */
const indexBytesOf = (itag: number) => (long.get(itag)?.indexRange?.end ?? Number.NaN) + 1;

/** Downloads a clip with curl into `dir`; gives the file's path and the origin's media bytes sent. */
async function fetchClip(url: string, name: string): Promise<{ path: string; originBytes: number }> {
  stack.youtube.reset();
  const path = join(dir, name);
  const curl = await runCommand(["curl", "-sS", "-f", "-o", path, url]);
  expect(curl.stderr).toBe("");
  expect(curl.code).toBe(0);
  return { path, originBytes: stack.youtube.hits.mediaBytesSent(VIDEO_IDS.long) };
}

/** The clip's length as its packets tell it, per stream type. */
async function lengths(path: string): Promise<Record<string, number>> {
  const spans = await streamSpans(path);
  return Object.fromEntries(spans.map((s) => [s.type, s.end - s.start]));
}

/**
 * Each stream, exactly `types`, lasts the asked length, or up to one keyframe interval more (the
 * clip starts at the keyframe at or before the start); `frame` is the slack of a frame's length.
 */
async function expectClipOf(
  path: string,
  types: readonly string[],
  asked: number,
  keyframes: number,
  frame = 0.1,
) {
  const spans = await lengths(path);
  expect(Object.keys(spans).sort()).toEqual([...types].sort());
  for (const length of Object.values(spans)) {
    expect(length).toBeGreaterThan(asked - frame);
    expect(length).toBeLessThan(asked + keyframes + frame);
  }
  expect(await decodeErrors(path)).toBe("");
}

const KINDS = [
  { name: "an H.264 MP4 format", format: { itag: 137 }, ext: "mp4", itags: [137], types: ["video"] },
  { name: "a VP9 WebM format", format: { itag: 248 }, ext: "webm", itags: [248], types: ["video"] },
  {
    name: "a merged MP4",
    format: { kind: "MERGED", container: "mp4" },
    ext: "mp4",
    itags: [137, 140],
    types: ["video", "audio"],
  },
  {
    name: "a merged WebM",
    format: { kind: "MERGED", container: "webm" },
    ext: "webm",
    itags: [248, 251],
    types: ["video", "audio"],
  },
] as const;

describe("a ten-second clip of a ten-minute video", () => {
  test.each(KINDS)(
    "of $name: the asked length within one keyframe interval, every stream, a clean decode",
    async (kind) => {
      const ticket = await prepareClip(stack, {
        url: VIDEO_IDS.long,
        format: kind.format,
        clip: { startSeconds: 123.3, endSeconds: 133.3 },
      });
      expect(ticket.clip).toEqual({ startSeconds: 123.3, endSeconds: 133.3 });
      expect(ticket.filename).toBe(`A long talk (2m03s-2m13s).${kind.ext}`);
      expect(ticket.contentLength).toBeNull();
      const { path, originBytes } = await fetchClip(ticket.url, `clip-${kind.itags.join("-")}.${kind.ext}`);

      await expectClipOf(path, kind.types, 10, LONG_KEYFRAME_SECONDS);

      const whole = kind.itags.reduce((sum, itag) => sum + sizeOf(itag), 0);
      const index = kind.itags.reduce((sum, itag) => sum + indexBytesOf(itag), 0);
      expect(originBytes).toBeGreaterThan(0);
      expect(originBytes - index).toBeLessThan(whole * 0.1);
    },
    HEAVY_MS,
  );
});

describe("a clip of a muxed MP4 without an index (moov first, as itag 18)", () => {
  test(
    "reads the head and the samples of the range, a small part of the file, and decodes cleanly",
    async () => {
      const ticket = await prepareClip(stack, {
        url: VIDEO_IDS.long,
        format: { itag: 18 },
        clip: { startSeconds: 123.3, endSeconds: 133.3 },
      });
      const { path, originBytes } = await fetchClip(ticket.url, "muxed-long.mp4");
      await expectClipOf(path, ["audio", "video"], 10, LONG_KEYFRAME_SECONDS);
      expect(originBytes).toBeGreaterThan(0);
      expect(originBytes).toBeLessThan(sizeOf(18) * 0.1);
    },
    HEAVY_MS,
  );
});

describe("a clip of an audio file", () => {
  test.each([
    ["MP3", "mp3", "mp3"],
    ["OPUS", "opus", "opus"],
  ])(
    "as %s is cut exactly to the asked seconds and read from a small part of the source",
    async (format, ext, codec) => {
      const ticket = await prepareClip(stack, {
        url: VIDEO_IDS.long,
        audio: { format },
        clip: { startSeconds: 123.3, endSeconds: 133.3 },
      });
      expect(ticket.filename).toBe(`A long talk (2m03s-2m13s).${ext}`);
      const { path, originBytes } = await fetchClip(ticket.url, `audio-clip.${ext}`);
      // An MP3 also carries its cover (a picture stream): it is never cut.
      const spans = (await streamSpans(path)).filter((s) => s.type === "audio");
      expect(spans.map((s) => [s.type, s.codec])).toEqual([["audio", codec]]);
      // Encoded, so cut at the asked seconds, not at a keyframe: within an encoder's frame.
      expect(Math.abs((spans[0]?.end ?? 0) - (spans[0]?.start ?? 0) - 10)).toBeLessThan(0.1);
      expect(await decodeErrors(path)).toBe("");
      const source = ticket.format.itag;
      expect(originBytes).toBeLessThan(sizeOf(source) * 0.1 + indexBytesOf(source));
    },
    HEAVY_MS,
  );
});

describe("clips at the edges of the video and of its fragments", () => {
  const EDGES = [
    { name: "from the very start", start: 0, end: 5 },
    { name: "to the very end", start: LONG_MEDIA_SECONDS - 7, end: LONG_MEDIA_SECONDS },
    { name: "inside one fragment", start: 300.5, end: 301.5 },
    { name: "across the last fragment", start: LONG_MEDIA_SECONDS - 3, end: LONG_MEDIA_SECONDS - 0.5 },
  ];
  test.each(EDGES)(
    "$name, merged in MP4 and WebM: both streams, within one keyframe interval of the asked length",
    async ({ start, end }) => {
      for (const container of ["mp4", "webm"]) {
        const ticket = await prepareClip(stack, {
          url: VIDEO_IDS.long,
          format: { kind: "MERGED", container },
          clip: { startSeconds: start, endSeconds: end },
        });
        const { path } = await fetchClip(ticket.url, `edge-${start}-${end}.${container}`);
        // A video frame lasts a tenth of a second: the last one may end just short of `end`.
        await expectClipOf(path, ["audio", "video"], end - start, LONG_KEYFRAME_SECONDS, 0.15);
      }
    },
    HEAVY_MS,
  );
});

describe("clips that cannot be made", () => {
  test.each([
    [{ startSeconds: -1, endSeconds: 5 }, "clip.startSeconds"],
    [{ startSeconds: 10, endSeconds: 10 }, "clip.endSeconds"],
    [{ startSeconds: 10, endSeconds: 5 }, "clip.endSeconds"],
    [{ startSeconds: 590, endSeconds: LONG_MEDIA_SECONDS + 1 }, "clip.endSeconds"],
  ])("%o is refused as BAD_USER_INPUT naming %s", async (clip, field) => {
    const result = await requestClip(stack, { url: VIDEO_IDS.long, clip });
    expect(errorCodes(result.error)).toEqual(["BAD_USER_INPUT"]);
    expect(result.error?.graphQLErrors[0]?.message).toContain(field);
  });

  test("a clip of a live stream is refused as LIVE_NOT_SUPPORTED", async () => {
    const result = await requestClip(stack, {
      url: VIDEO_IDS.liveNow,
      clip: { startSeconds: 0, endSeconds: 5 },
    });
    expect(errorCodes(result.error)).toEqual(["LIVE_NOT_SUPPORTED"]);
  });
});

describe("a merged clip with embedded captions", () => {
  test(
    "keeps the video, the audio and a subtitle stream",
    async () => {
      const ticket = await prepareClip(stack, {
        url: CAPTION_VIDEO_IDS.captions,
        format: { kind: "MERGED", container: "mp4" },
        embedCaptions: ["en"],
        clip: { startSeconds: 2, endSeconds: 4 },
      });
      const path = join(dir, "captioned-clip.mp4");
      const curl = await runCommand(["curl", "-sS", "-f", "-o", path, ticket.url]);
      expect(curl.code).toBe(0);
      const spans = await streamSpans(path);
      expect(spans.map((s) => s.type).sort()).toEqual(["audio", "subtitle", "video"]);
      expect(await decodeErrors(path)).toBe("");
    },
    HEAVY_MS,
  );

  test("of one format is refused as BAD_USER_INPUT naming clip", async () => {
    const result = await requestClip(stack, {
      url: CAPTION_VIDEO_IDS.captions,
      format: { itag: 18 },
      embedCaptions: ["en"],
      clip: { startSeconds: 2, endSeconds: 4 },
    });
    expect(errorCodes(result.error)).toEqual(["BAD_USER_INPUT"]);
    expect(result.error?.graphQLErrors[0]?.message).toContain("clip");
  });
});

describe("a clip as an HTTP answer", () => {
  test(
    "is a stream: HEAD says so without asking the origin, and a Range is answered with the whole clip",
    async () => {
      const ticket = await prepareClip(stack, {
        url: VIDEO_IDS.long,
        format: { itag: 137 },
        clip: { startSeconds: 30, endSeconds: 32 },
      });
      stack.youtube.reset();
      const head = await fetch(ticket.url, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-type")).toBe("video/mp4");
      expect(head.headers.has("content-length")).toBe(false);
      expect(head.headers.has("accept-ranges")).toBe(false);
      expect(stack.youtube.hits.count("media")).toBe(0);
      const ranged = await fetch(ticket.url, { headers: { Range: "bytes=0-99" } });
      expect(ranged.status).toBe(200);
      expect((await ranged.arrayBuffer()).byteLength).toBeGreaterThan(100);
    },
    HEAVY_MS,
  );

  test(
    "of a short muxed format without an index is cut by ffmpeg all the same",
    async () => {
      const ticket = await prepareClip(stack, {
        url: VIDEO_IDS.plain,
        format: { itag: 18 },
        clip: { startSeconds: 2.5, endSeconds: 4.5 },
      });
      expect(ticket.filename).toEndWith(" (0m02s-0m04s).mp4");
      const path = join(dir, "muxed-clip.mp4");
      const curl = await runCommand(["curl", "-sS", "-f", "-o", path, ticket.url]);
      expect(curl.code).toBe(0);
      // itag 18 of the simulated YouTube has a keyframe every two seconds.
      await expectClipOf(path, ["audio", "video"], 2, 2);
    },
    HEAVY_MS,
  );
});

describe("a client that leaves mid-clip", () => {
  test(
    "got its first bytes; leaving ends ffmpeg, counted as a clip whose client went away",
    async () => {
      const ticket = await prepareClip(stack, {
        url: VIDEO_IDS.long,
        format: { kind: "MERGED", container: "mp4" },
        clip: { startSeconds: 0, endSeconds: LONG_MEDIA_SECONDS },
      });
      const gone = 'downtube_ffmpeg_jobs_total{kind="clip",outcome="client_gone"}';
      const before = await metric(stack, gone);
      const controller = new AbortController();
      const response = await fetch(ticket.url, { signal: controller.signal });
      const reader = response.body?.getReader();
      const first = await reader?.read();
      expect(first?.value?.byteLength).toBeGreaterThan(0);
      expect(ffmpegChildren()).toHaveLength(1);
      controller.abort();
      await eventually(() => ffmpegChildren().length === 0, 2000, "ffmpeg ended");
      await eventually(async () => (await metric(stack, gone)) === before + 1, 2000, "the job counted");
    },
    HEAVY_MS,
  );
});
