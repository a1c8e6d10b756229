/**
 * Merged downloads as a player sees them: the best video-only and audio-only formats of the
 * simulated YouTube (real H.264/VP9 video, AAC/Opus audio), remuxed by the gateway's ffmpeg,
 * fetched with curl and checked with ffprobe and a full decode.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import type { MediaItag } from "../../fake-youtube/media.ts";
import { prepareDownload, requestDownload } from "../support/downloads.ts";
import { decodeErrors, ffprobe, runCommand } from "../support/merges.ts";
import { metric } from "../support/metrics.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

/** Decoding 1080p on a shared, busy machine takes seconds; `test.each` also ignores bunfig's timeout. */
const HEAVY_MS = 60_000;

let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack();
  dir = await mkdtemp(join(tmpdir(), "downtube-merges-"));
}, HEAVY_MS);
afterAll(async () => {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
});

const merged = (container?: string, extra: Record<string, unknown> = {}) =>
  prepareDownload(stack, {
    url: VIDEO_IDS.plain,
    format: { kind: "MERGED", ...(container === undefined ? {} : { container }), ...extra },
  });

function origin(itag: MediaItag) {
  const file = stack.youtube.media.get(itag);
  if (file === undefined) throw new Error(`the simulated YouTube has no itag ${itag}`);
  return file;
}

/** Per container: the formats the simulated YouTube offers for it, and what ffprobe must name. */
const CONTAINERS = [
  { container: "mp4", video: 137, audio: 140, codecs: ["h264", "aac"] },
  { container: "webm", video: 248, audio: 251, codecs: ["vp9", "opus"] },
] as const;

describe("prepareDownload with kind MERGED", () => {
  test.each(CONTAINERS)(
    "pairs the best video-only and audio-only formats that fit $container",
    async (c) => {
      const ticket = await merged(c.container);
      expect(ticket.format).toMatchObject({ itag: c.video, hasVideo: true, hasAudio: false });
      expect(ticket.audioFormat).toMatchObject({ itag: c.audio, hasVideo: false, hasAudio: true });
      expect(ticket.mimeType).toBe(`video/${c.container}`);
      expect(ticket.filename.endsWith(`.${c.container}`)).toBe(true);
      expect(ticket.contentLength).toBeNull();
      expect(ticket.estimatedContentLength).toBe(origin(c.video).size + origin(c.audio).size);
    },
    HEAVY_MS,
  );

  test("mp4 is the container when none is named", async () => {
    const ticket = await merged();
    expect([ticket.mimeType, ticket.format.itag, ticket.audioFormat?.itag]).toEqual(["video/mp4", 137, 140]);
  });

  test("a file ticket has no audio format and the exact size as its estimate", async () => {
    const ticket = await prepareDownload(stack, { url: VIDEO_IDS.plain });
    expect(ticket.audioFormat).toBeNull();
    expect(ticket.estimatedContentLength).toBe(origin(18).size);
  });

  test.each([
    ["maxHeight below every video-only format", { maxHeight: 720 }],
    ["a container a merge cannot write", { container: "mkv" }],
    ["an itag that is no video-only format of the container", { itag: 248 }],
  ])(
    "answers FORMAT_NOT_FOUND for %s",
    async (_, selector) => {
      const result = await requestDownload(stack, {
        url: VIDEO_IDS.plain,
        format: { kind: "MERGED", ...selector },
      });
      expect(errorCodes(result.error)).toEqual(["FORMAT_NOT_FOUND"]);
    },
    HEAVY_MS,
  );
});

describe("GET /download/:token of a merge", () => {
  test.each(CONTAINERS)(
    "curl saves a $container that ffprobe reads as one video and one audio stream of the source's length",
    async (c) => {
      const ticket = await merged(c.container);
      const path = join(dir, `merged.${c.container}`);
      const curl = await runCommand(["curl", "-sS", "-f", "-D", "-", "-o", path, ticket.url]);
      expect(curl.stderr).toBe("");
      expect(curl.code).toBe(0);
      const head = curl.stdout.toLowerCase();
      expect(head).toStartWith("http/1.1 200");
      expect(head).toContain(`content-type: video/${c.container}`);
      expect(head).toContain("transfer-encoding: chunked");
      expect(head).not.toContain("content-length");
      expect(head).not.toContain("accept-ranges");

      const probe = await ffprobe(path);
      expect(probe.streams.map((s) => [s.codec_type, s.codec_name])).toEqual([
        ["video", c.codecs[0]],
        ["audio", c.codecs[1]],
      ]);
      // Containers round a track's end to their own time base: a frame's worth either way.
      expect(Math.abs(probe.duration - origin(c.video).durationMs / 1000)).toBeLessThan(0.1);
      expect(await decodeErrors(path)).toBe("");
    },
    HEAVY_MS,
  );

  test(
    "HEAD answers the headers without starting ffmpeg or asking the origin for media",
    async () => {
      const ticket = await merged("mp4");
      const mediaHits = stack.youtube.hits.count("media");
      const started = await metric(stack, 'downtube_merges_total{outcome="complete"}');
      const head = await fetch(ticket.url, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-type")).toBe("video/mp4");
      expect(head.headers.get("content-disposition")).toStartWith("attachment;");
      expect(head.headers.has("accept-ranges")).toBe(false);
      expect(head.headers.has("content-length")).toBe(false);
      expect(stack.youtube.hits.count("media")).toBe(mediaHits);
      expect(await metric(stack, "downtube_merges_running")).toBe(0);
      expect(await metric(stack, 'downtube_merges_total{outcome="complete"}')).toBe(started);
    },
    HEAVY_MS,
  );

  test(
    "a Range header is ignored: 200 with the whole merge, never 206",
    async () => {
      const ticket = await merged("mp4");
      const response = await fetch(ticket.url, { headers: { Range: "bytes=0-99" } });
      expect(response.status).toBe(200);
      expect(response.headers.has("content-range")).toBe(false);
      const path = join(dir, "ranged.mp4");
      await Bun.write(path, await response.arrayBuffer());
      expect((await ffprobe(path)).streams).toHaveLength(2);
    },
    HEAVY_MS,
  );

  test(
    "a maxUses: 1 merge streams one whole copy, then answers 410 TOKEN_USED; HEAD does not count",
    async () => {
      const ticket = await merged("webm", {});
      const limited = await prepareDownload(stack, {
        url: VIDEO_IDS.plain,
        format: { kind: "MERGED", container: "webm" },
        maxUses: 1,
      });
      expect(ticket.url).not.toBe(limited.url);
      expect((await fetch(limited.url, { method: "HEAD" })).status).toBe(200);
      const first = await fetch(limited.url);
      expect(first.status).toBe(200);
      await first.arrayBuffer();
      const second = await fetch(limited.url);
      expect(second.status).toBe(410);
      expect(((await second.json()) as { error: { code: string } }).error.code).toBe("TOKEN_USED");
    },
    HEAVY_MS,
  );

  test(
    "the README's merged example saves an mp4 of one H.264 and one AAC stream under the title",
    async () => {
      const readme = await Bun.file(new URL("../../README.md", import.meta.url)).text();
      const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
      const script = blocks.find((block) => block.includes("kind: MERGED"));
      if (script === undefined) throw new Error("the README has no merged curl example");
      const cwd = join(dir, "readme");
      await Bun.write(join(cwd, ".keep"), "");
      const run = Bun.spawn(
        [
          "bash",
          "-euo",
          "pipefail",
          "-c",
          script.replaceAll("http://127.0.0.1:4000", stack.gateway.url.origin),
        ],
        { cwd, stdout: "inherit", stderr: "ignore" },
      );
      expect(await run.exited).toBe(0);
      // curl -J takes the ASCII `filename="…"` of Content-Disposition, extension included.
      const saved = (await readdir(cwd)).filter((name) => name.endsWith(".mp4"));
      expect(saved).toHaveLength(1);
      expect((await ffprobe(join(cwd, saved[0] ?? ""))).streams.map((s) => s.codec_name)).toEqual([
        "h264",
        "aac",
      ]);
    },
    HEAVY_MS,
  );

  test(
    "counts the merges and their time to first byte in /metrics",
    async () => {
      const before = await metric(stack, "downtube_merge_time_to_first_byte_seconds_count");
      const ticket = await merged("mp4");
      await (await fetch(ticket.url)).arrayBuffer();
      expect(await metric(stack, "downtube_merge_time_to_first_byte_seconds_count")).toBe(before + 1);
      expect(await metric(stack, 'downtube_merges_total{outcome="complete"}')).toBeGreaterThan(0);
    },
    HEAVY_MS,
  );
});
