/**
 * Merged downloads when something goes wrong: the client leaves, an origin refuses or dies
 * mid-merge, ffmpeg is missing. Whatever happens, no ffmpeg is left behind and the client is
 * never handed a short file as if it were whole.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { prepareDownload, requestDownload } from "../support/downloads.ts";
import { eventually, ffmpegChildren, holdMerge } from "../support/merges.ts";
import { metric } from "../support/metrics.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

/** Merges and stacks on a shared, busy machine take seconds. */
const TEST_MS = 60_000;
/** The bound: a client that leaves ends ffmpeg and both origin requests within 2 s. */
const LEAVE_MS = 2000;
/**
 * A slow origin: the trickle video's 1080p input takes about 37 s and its audio about 5 s, so a
 * merge is still reading both when its first bytes reach the client.
 */
const SLOW = { chunkBytes: 2 * 1024, intervalMs: 100 };
const SECRETS = { DOWNTUBE_TOKEN_SECRETS: "merge-failures-secret-0123456789abcdef" };

const merges = (outcome: string) => `downtube_merges_total{outcome="${outcome}"}`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...SECRETS, DOWNTUBE_UPSTREAM_TIMEOUT_MS: "5000" }, { trickle: SLOW });
}, TEST_MS);
afterAll(async () => {
  await stack.stop();
});

describe("a client that leaves mid-merge", () => {
  test(
    "got its first bytes while the origin was still sending; leaving ends ffmpeg and both origin requests",
    async () => {
      const { trickle } = { trickle: VIDEO_IDS.mediaTrickle };
      const held = await holdMerge(stack, trickle);
      expect(held.first.byteLength).toBeGreaterThan(0);
      expect(ffmpegChildren()).toHaveLength(1);
      const media = stack.youtube.hits.filter("media", trickle);
      expect(media.map((hit) => Number(hit.query.itag)).sort()).toEqual([137, 140]);
      expect(media.some((hit) => hit.aborted)).toBe(false);

      const gone = await metric(stack, merges("client_gone"));
      held.leave();
      await eventually(
        () => media.every((hit) => hit.aborted) && ffmpegChildren().length === 0,
        LEAVE_MS,
        "ffmpeg and both origin requests ended",
      );
      expect(await metric(stack, merges("client_gone"))).toBe(gone + 1);
      expect(await metric(stack, "downtube_merges_running")).toBe(0);
    },
    TEST_MS,
  );
});

describe("an origin that fails", () => {
  test(
    "an audio input the origin refuses is a JSON 502 UPSTREAM_ERROR and ffmpeg never starts",
    async () => {
      const ticket = await prepareDownload(stack, {
        url: VIDEO_IDS.audioUnavailable,
        format: { kind: "MERGED" },
      });
      const before = await metric(stack, "downtube_merge_time_to_first_byte_seconds_count");
      const response = await fetch(ticket.url);
      expect(response.status).toBe(502);
      expect(response.headers.get("content-type")).toStartWith("application/json");
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("UPSTREAM_ERROR");
      expect(await metric(stack, "downtube_merge_time_to_first_byte_seconds_count")).toBe(before);
      expect(await metric(stack, "downtube_merges_running")).toBe(0);
      expect(ffmpegChildren()).toHaveLength(0);
    },
    TEST_MS,
  );

  test(
    "an origin that dies mid-merge cuts the response: curl reports the transfer as failed",
    async () => {
      const doomed = await startStack({ DOWNTUBE_UPSTREAM_TIMEOUT_MS: "5000" }, { trickle: SLOW });
      try {
        const ticket = await prepareDownload(doomed, {
          url: VIDEO_IDS.mediaTrickle,
          format: { kind: "MERGED" },
        });
        const curl = Bun.spawn(["curl", "-sS", "-o", "-", ticket.url], { stdout: "pipe", stderr: "pipe" });
        const output = curl.stdout.getReader();
        const first = await output.read();
        expect(first.done).toBe(false);
        await doomed.youtube.stop();
        for (let read = await output.read(); !read.done; read = await output.read());
        // 18: the transfer closed with data left (the chunked body lacks its last chunk).
        expect(await curl.exited).toBe(18);
        expect(await new Response(curl.stderr).text()).toContain("curl: (18)");
        await eventually(() => ffmpegChildren().length === 0, LEAVE_MS, "ffmpeg ended");
        expect(await metric(doomed, merges("upstream_error"))).toBe(1);
        expect(await metric(doomed, merges("complete"))).toBe(0);
      } finally {
        await doomed.gateway.stop();
      }
    },
    TEST_MS,
  );
});

describe("an ffmpeg that fails before its first byte", () => {
  let broken: Stack;
  beforeAll(async () => {
    // `true` passes for ffmpeg at start (`-version` exits 0), then writes nothing for a merge.
    broken = await startStack({ DOWNTUBE_FFMPEG: "true" });
  }, TEST_MS);
  afterAll(async () => {
    await broken.stop();
  });

  test(
    "is a JSON 502 UPSTREAM_ERROR, never a 200, and leaves no process behind",
    async () => {
      const ticket = await prepareDownload(broken, { url: VIDEO_IDS.plain, format: { kind: "MERGED" } });
      const response = await fetch(ticket.url);
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("UPSTREAM_ERROR");
      expect(await metric(broken, merges("ffmpeg_error"))).toBe(1);
      expect(await metric(broken, "downtube_merges_running")).toBe(0);
    },
    TEST_MS,
  );
});

describe("a gateway without ffmpeg", () => {
  let bare: Stack;
  beforeAll(async () => {
    bare = await startStack({ ...SECRETS, DOWNTUBE_FFMPEG: "/nonexistent/ffmpeg" });
  }, TEST_MS);
  afterAll(async () => {
    await bare.stop();
  });

  test(
    "starts, warns once, and answers MERGE_UNAVAILABLE for MERGED only",
    async () => {
      const result = await requestDownload(bare, { url: VIDEO_IDS.plain, format: { kind: "MERGED" } });
      expect(errorCodes(result.error)).toEqual(["MERGE_UNAVAILABLE"]);
      const warnings = bare.logs.filter((line) => line.includes("ffmpeg not found"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('"level":"warn"');

      const file = await prepareDownload(bare, { url: VIDEO_IDS.plain });
      const response = await fetch(file.url);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBe(file.contentLength ?? -1);
    },
    TEST_MS,
  );

  test(
    "a merge token minted by an instance with ffmpeg answers 503 MERGE_UNAVAILABLE here, GET and HEAD",
    async () => {
      const ticket = await prepareDownload(stack, { url: VIDEO_IDS.plain, format: { kind: "MERGED" } });
      const here = new URL(new URL(ticket.url).pathname, bare.gateway.url);
      const mediaHits = bare.youtube.hits.count("media");
      for (const method of ["GET", "HEAD"]) {
        const response = await fetch(here, { method });
        expect(response.status).toBe(503);
        if (method === "GET")
          expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
            "MERGE_UNAVAILABLE",
          );
      }
      expect(bare.youtube.hits.count("media")).toBe(mediaHits);
    },
    TEST_MS,
  );
});
