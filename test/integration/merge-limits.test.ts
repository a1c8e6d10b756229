/**
 * How many merges run, and that none outlives the gateway: `DOWNTUBE_MAX_MERGES`, the per-client
 * stream slots a merge holds, a graceful stop and a gateway that is killed outright.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { type FakeYouTube, startFakeYouTube } from "../../fake-youtube/server.ts";
import { prepareDownload, prepareDownloadAt } from "../support/downloads.ts";
import { logLines } from "../support/log-lines.ts";
import { eventually, ffmpegChildren, holdMerge } from "../support/merges.ts";
import { metric } from "../support/metrics.ts";
import { spawnServer } from "../support/server-process.ts";
import { type Stack, startStack } from "../support/stack.ts";

/** The trickle video's merge keeps streaming for half a minute at this pace. */
const SLOW = { chunkBytes: 2 * 1024, intervalMs: 100 };
const STACK_MS = 60_000;

/** `{ status, code }` of a JSON error answer. */
async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string } };
  return { status: response.status, code: body.error.code };
}

describe("DOWNTUBE_MAX_MERGES=1", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ DOWNTUBE_MAX_MERGES: "1" }, { trickle: SLOW });
  }, STACK_MS);
  afterAll(async () => {
    await stack.stop();
  });

  test(
    "a second merge while one runs answers 503 TOO_MANY_STREAMS with Retry-After; files still stream",
    async () => {
      const held = await holdMerge(stack, VIDEO_IDS.mediaTrickle);
      const second = await prepareDownload(stack, { url: VIDEO_IDS.plain, format: { kind: "MERGED" } });
      const refused = await fetch(second.url);
      expect(await errorOf(refused)).toEqual({ status: 503, code: "TOO_MANY_STREAMS" });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(ffmpegChildren()).toHaveLength(1);

      const file = await prepareDownload(stack, { url: VIDEO_IDS.plain });
      expect((await fetch(file.url)).status).toBe(200);

      held.leave();
      await eventually(
        async () => (await metric(stack, "downtube_merges_running")) === 0,
        2000,
        "the merge ended",
      );
      const again = await fetch(second.url);
      expect(again.status).toBe(200);
      await again.arrayBuffer();
    },
    STACK_MS,
  );
});

describe("per-client stream slots", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ DOWNTUBE_MAX_STREAMS_PER_CLIENT: "1" }, { trickle: SLOW });
  }, STACK_MS);
  afterAll(async () => {
    await stack.stop();
  });

  test(
    "a merge holds one of the client's stream slots for as long as it streams",
    async () => {
      const held = await holdMerge(stack, VIDEO_IDS.mediaTrickle);
      const file = await prepareDownload(stack, { url: VIDEO_IDS.plain });
      expect(await errorOf(await fetch(file.url))).toEqual({ status: 503, code: "TOO_MANY_STREAMS" });
      held.leave();
      const streams = async () => {
        const response = await fetch(file.url);
        await response.arrayBuffer();
        return response.status === 200;
      };
      await eventually(streams, 2000, "the client's slot came back once the merge ended");
    },
    STACK_MS,
  );
});

describe("no ffmpeg outlives the gateway", () => {
  test(
    "a graceful stop ends the merges still running, and waits for their ffmpeg",
    async () => {
      const stack = await startStack({ DOWNTUBE_SHUTDOWN_GRACE_MS: "0" }, { trickle: SLOW });
      try {
        const held = await holdMerge(stack, VIDEO_IDS.mediaTrickle);
        expect(ffmpegChildren()).toHaveLength(1);
        await stack.gateway.stop();
        expect(ffmpegChildren()).toEqual([]);
        // Whatever had arrived is still read, then the cut: an error, never a clean end.
        const drain = async () => {
          while (!(await held.reader.read()).done);
        };
        await expect(drain()).rejects.toThrow();
      } finally {
        await stack.stop();
      }
    },
    STACK_MS,
  );

  let youtube: FakeYouTube;
  beforeAll(async () => {
    youtube = await startFakeYouTube({ trickle: SLOW });
  }, STACK_MS);
  afterAll(async () => {
    await youtube.stop();
  });

  test(
    "a gateway killed outright leaves no ffmpeg running",
    async () => {
      const server = spawnServer([], { DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin }, "ignore");
      try {
        const started = await logLines(server.stdout).until("downtube listening");
        const ticket = await prepareDownloadAt(new URL(String(started.graphql)), {
          url: VIDEO_IDS.mediaTrickle,
          format: { kind: "MERGED" },
        });
        const response = await fetch(ticket.url);
        expect(response.status).toBe(200);
        const reader = response.body?.getReader();
        expect((await reader?.read())?.done).toBe(false);
        const [ffmpeg] = ffmpegChildren(server.pid);
        if (ffmpeg === undefined) throw new Error("the gateway runs no ffmpeg for the merge");

        server.kill("SIGKILL");
        await server.exited;
        // Orphaned, ffmpeg reads the end of its inputs and of its output pipe, and exits; whoever
        // adopted it reaps it (a zombie here is the adopter's, not a running process).
        await eventually(() => !isRunning(ffmpeg.pid), 2000, "the orphaned ffmpeg exited");
      } finally {
        server.kill("SIGKILL");
      }
    },
    STACK_MS,
  );
});

/** Whether a process is alive: present and not a zombie. */
function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return false; // gone, reaped
  }
  const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  return state !== "Z";
}
