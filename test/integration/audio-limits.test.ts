/**
 * Audio files at the edges: a client that leaves mid-conversion, the cap on ffmpeg jobs it shares
 * with merges, a gateway without ffmpeg, and a direct media URL as the source.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { prepareMedia } from "../../fake-youtube/media.ts";
import { audioPacketHashes, probeAudio } from "../support/audio.ts";
import { prepareDownload, requestDownload } from "../support/downloads.ts";
import { decodeErrors, eventually, ffmpegChildren } from "../support/merges.ts";
import { metric } from "../support/metrics.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const TEST_MS = 60_000;
/** The bound: a client that leaves ends ffmpeg within 2 s. */
const LEAVE_MS = 2000;
/** The trickle video's Opus audio then takes about 5 s to arrive: a conversion is still reading it. */
const SLOW = { chunkBytes: 2 * 1024, intervalMs: 100 };
const SECRETS = { DOWNTUBE_TOKEN_SECRETS: "audio-limits-secret-0123456789abcdef" };

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string } };
  return { status: response.status, code: body.error.code };
}

/** Starts an MP3 of the trickle video and reads its first bytes; the client can then leave. */
async function holdAudio(stack: Stack) {
  const ticket = await prepareDownload(stack, { url: VIDEO_IDS.mediaTrickle, audio: { format: "MP3" } });
  const controller = new AbortController();
  const response = await fetch(ticket.url, { signal: controller.signal });
  if (response.status !== 200 || response.body === null)
    throw new Error(`the audio download answered ${response.status}: ${await response.text()}`);
  const read = await response.body.getReader().read();
  if (read.done) throw new Error("the audio download ended before its first bytes");
  return { first: read.value, leave: () => controller.abort() };
}

describe("DOWNTUBE_MAX_FFMPEG_JOBS=1, with a slow origin", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ...SECRETS, DOWNTUBE_MAX_FFMPEG_JOBS: "1" }, { trickle: SLOW });
  }, TEST_MS);
  afterAll(async () => {
    await stack.stop();
  });

  test(
    "an MP3 starts with its ID3v2 tag while the origin still sends; leaving ends ffmpeg and the origin request",
    async () => {
      const held = await holdAudio(stack);
      expect(new TextDecoder().decode(held.first.subarray(0, 3))).toBe("ID3");
      expect(ffmpegChildren()).toHaveLength(1);
      const media = stack.youtube.hits.filter("media", VIDEO_IDS.mediaTrickle);
      expect(media.some((hit) => hit.aborted)).toBe(false);
      held.leave();
      await eventually(
        () => media.every((hit) => hit.aborted) && ffmpegChildren().length === 0,
        LEAVE_MS,
        "ffmpeg and the origin request ended",
      );
      await eventually(
        async () =>
          (await metric(stack, 'downtube_ffmpeg_jobs_total{kind="audio",outcome="client_gone"}')) === 1,
        LEAVE_MS,
        "the job was counted as left by its client",
      );
    },
    TEST_MS,
  );

  test(
    "a second ffmpeg job while one runs answers 503 TOO_MANY_STREAMS with Retry-After; HEAD still answers",
    async () => {
      const held = await holdAudio(stack);
      const second = await prepareDownload(stack, { url: VIDEO_IDS.plain, audio: { format: "FLAC" } });
      const merge = await prepareDownload(stack, { url: VIDEO_IDS.plain, format: { kind: "MERGED" } });
      for (const url of [second.url, merge.url]) {
        const refused = await fetch(url);
        expect(await errorOf(refused)).toEqual({ status: 503, code: "TOO_MANY_STREAMS" });
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect((await fetch(second.url, { method: "HEAD" })).status).toBe(200);
      expect(ffmpegChildren()).toHaveLength(1);
      held.leave();
      await eventually(() => ffmpegChildren().length === 0, LEAVE_MS, "the first job ended");
      await eventually(
        async () => (await metric(stack, 'downtube_ffmpeg_jobs_running{kind="audio"}')) === 0,
        LEAVE_MS,
        "its slot came back",
      );
      const again = await fetch(second.url);
      expect(again.status).toBe(200);
      await again.arrayBuffer();
    },
    TEST_MS,
  );

  describe("a gateway without ffmpeg", () => {
    let bare: Stack;
    beforeAll(async () => {
      bare = await startStack({ ...SECRETS, DOWNTUBE_FFMPEG: "/nonexistent/ffmpeg" });
    }, TEST_MS);
    afterAll(async () => {
      await bare.stop();
    });

    test("refuses to prepare an audio file with FFMPEG_UNAVAILABLE, copies included", async () => {
      for (const format of ["MP3", "ORIGINAL"]) {
        const result = await requestDownload(bare, { url: VIDEO_IDS.plain, audio: { format } });
        expect(errorCodes(result.error)).toEqual(["FFMPEG_UNAVAILABLE"]);
      }
    });

    test("answers 503 FFMPEG_UNAVAILABLE to an audio token minted elsewhere, GET and HEAD, asking no origin", async () => {
      const ticket = await prepareDownload(stack, { url: VIDEO_IDS.plain, audio: { format: "MP3" } });
      const here = new URL(new URL(ticket.url).pathname, bare.gateway.url);
      const hits = bare.youtube.hits.all.length;
      expect(await errorOf(await fetch(here))).toEqual({ status: 503, code: "FFMPEG_UNAVAILABLE" });
      expect((await fetch(here, { method: "HEAD" })).status).toBe(503);
      const asked = bare.youtube.hits.all
        .slice(hits)
        .filter((h) => h.kind === "media" || h.kind === "thumbnail");
      expect(asked).toEqual([]);
    });
  });
});

/** The simulated YouTube's muxed file (itag 18): H.264 and AAC in an mp4. */
async function muxedFile(): Promise<string> {
  const file = (await prepareMedia()).get(18);
  if (file === undefined) throw new Error("the simulated YouTube has no itag 18 file");
  return file.path;
}

/** A plain web server holding one real video file (H.264 + AAC mp4), with HEAD and Range. */
function serveFile(path: string) {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const file = Bun.file(path);
      const headers = { "content-type": "video/mp4", "accept-ranges": "bytes" };
      const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get("range") ?? "");
      if (range === null)
        return new Response(request.method === "HEAD" ? null : file, {
          headers: { ...headers, "content-length": String(file.size) },
        });
      const start = Number(range[1]);
      const end = Math.min(range[2] === "" ? file.size - 1 : Number(range[2]), file.size - 1);
      return new Response(file.slice(start, end + 1), {
        status: 206,
        headers: { ...headers, "content-range": `bytes ${start}-${end}/${file.size}` },
      });
    },
  });
}

describe("a direct media URL", () => {
  let stack: Stack;
  let origin: ReturnType<typeof serveFile>;
  let dir: string;
  beforeAll(async () => {
    origin = serveFile(await muxedFile());
    stack = await startStack({
      DOWNTUBE_HTTP_SOURCE_HOSTS: `127.0.0.1:${origin.port}`,
      DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: "127.0.0.1/32",
    });
    dir = await mkdtemp(join(tmpdir(), "downtube-audio-direct-"));
  }, TEST_MS);
  afterAll(async () => {
    await stack.stop();
    await origin.stop(true);
    await rm(dir, { recursive: true, force: true });
  });

  test(
    "gives an MP3 of a video file's sound, titled after the file, its URL as the comment",
    async () => {
      const url = `http://127.0.0.1:${origin.port}/talk.mp4`;
      const ticket = await prepareDownload(stack, { url, audio: { format: "MP3" } });
      expect([ticket.filename, ticket.mimeType]).toEqual(["talk.mp3", "audio/mpeg"]);
      const path = join(dir, "talk.mp3");
      await Bun.write(path, await (await fetch(ticket.url)).arrayBuffer());
      const probe = await probeAudio(path);
      expect(probe.streams.map((s) => s.codecName)).toEqual(["mp3"]);
      expect([probe.tags.title, probe.tags.comment]).toEqual(["talk", url]);
      expect(await decodeErrors(path)).toBe("");
    },
    TEST_MS,
  );

  test(
    "ORIGINAL copies a video file's AAC packets into an .m4a",
    async () => {
      const url = `http://127.0.0.1:${origin.port}/talk.mp4`;
      const ticket = await prepareDownload(stack, { url, audio: { format: "ORIGINAL" } });
      expect([ticket.filename, ticket.mimeType]).toEqual(["talk.m4a", "audio/mp4"]);
      const path = join(dir, "talk.m4a");
      await Bun.write(path, await (await fetch(ticket.url)).arrayBuffer());
      expect(await audioPacketHashes(path)).toEqual(await audioPacketHashes(await muxedFile()));
    },
    TEST_MS,
  );
});
