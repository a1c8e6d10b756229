import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CAPTION_VIDEO_IDS } from "../../fake-youtube/captions.ts";
import { prepareCaptions } from "../support/caption-files.ts";
import { decodeErrors, runCommand } from "../support/merges.ts";
import { type Stack, startStack } from "../support/stack.ts";

let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack();
  dir = mkdtempSync(join(tmpdir(), "downtube-embedded-"));
});
afterAll(async () => {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface ProbedStream {
  codec_type: string;
  codec_name: string;
  tags?: { language?: string };
}

/** Downloads a prepared ticket to a file and lists its streams as ffprobe sees them. */
async function downloadAndProbe(input: Record<string, unknown>, name: string) {
  const { ticket, codes } = await prepareCaptions(stack, input);
  expect(codes).toEqual([]);
  if (ticket === undefined) throw new Error("no ticket");
  const response = await fetch(ticket.url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-length")).toBeNull();
  const path = join(dir, name);
  await Bun.write(path, await response.arrayBuffer());
  const { stdout, code, stderr } = await runCommand([
    ...["ffprobe", "-v", "error", "-of", "json"],
    ...["-show_entries", "stream=codec_type,codec_name:stream_tags=language", path],
  ]);
  if (code !== 0) throw new Error(stderr);
  return { path, ticket, streams: (JSON.parse(stdout) as { streams: ProbedStream[] }).streams };
}

/** The text of one subtitle stream, read back by ffmpeg as SubRip. */
async function subtitleText(path: string, index: number): Promise<string> {
  const { stdout, code, stderr } = await runCommand([
    ...["ffmpeg", "-nostdin", "-v", "error", "-i", path],
    ...["-map", `0:s:${index}`, "-f", "srt", "-"],
  ]);
  if (code !== 0) throw new Error(stderr);
  return stdout;
}

describe("embedded captions", () => {
  test("a merged MP4 carries two mov_text streams tagged with their languages", async () => {
    const { path, streams, ticket } = await downloadAndProbe(
      { url: CAPTION_VIDEO_IDS.captions, format: { kind: "MERGED" }, embedCaptions: ["en", "de"] },
      "merged.mp4",
    );
    expect(ticket.mimeType).toBe("video/mp4");
    expect(streams.map((s) => s.codec_type)).toEqual(["video", "audio", "subtitle", "subtitle"]);
    expect(streams.slice(2).map((s) => [s.codec_name, s.tags?.language])).toEqual([
      ["mov_text", "eng"],
      ["mov_text", "ger"],
    ]);
    expect(await subtitleText(path, 0)).toContain("Hello & welcome to the test, where 1 < 2");
    expect(await subtitleText(path, 1)).toContain("Zweite Zeile");
    expect(await decodeErrors(path)).toBe("");
  });

  test("a merged WebM carries WebVTT streams", async () => {
    const { path, streams } = await downloadAndProbe(
      {
        url: CAPTION_VIDEO_IDS.captions,
        format: { kind: "MERGED", container: "webm" },
        embedCaptions: ["de"],
      },
      "merged.webm",
    );
    expect(streams.map((s) => [s.codec_type, s.codec_name])).toContainEqual(["subtitle", "webvtt"]);
    expect(streams.find((s) => s.codec_type === "subtitle")?.tags?.language).toBe("ger");
    expect(await subtitleText(path, 0)).toContain("Hallo Welt");
  });

  test("a single file with captions is remuxed by ffmpeg with its own streams kept", async () => {
    const { path, streams } = await downloadAndProbe(
      { url: CAPTION_VIDEO_IDS.captions, format: { itag: 18 }, embedCaptions: ["en"] },
      "single.mp4",
    );
    expect(streams.map((s) => [s.codec_type, s.codec_name])).toEqual([
      ["video", "h264"],
      ["audio", "aac"],
      ["subtitle", "mov_text"],
    ]);
    expect(await subtitleText(path, 0)).toContain("Café, 東京 🎬");
  });

  test("refuses more than 8 languages, a missing language and a download without video", async () => {
    const many = ["en", "de", "fr", "es", "it", "ja", "ko", "pt", "ru"];
    const url = CAPTION_VIDEO_IDS.captions;
    expect((await prepareCaptions(stack, { url, embedCaptions: many })).codes).toEqual(["BAD_USER_INPUT"]);
    expect((await prepareCaptions(stack, { url, embedCaptions: ["ko"] })).codes).toEqual([
      "CAPTIONS_NOT_FOUND",
    ]);
    expect(
      (await prepareCaptions(stack, { url, format: { itag: 140 }, embedCaptions: ["en"] })).codes,
    ).toEqual(["BAD_USER_INPUT"]);
  });
});
