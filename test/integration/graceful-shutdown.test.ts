import { afterAll, beforeAll, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { type FakeYouTube, startFakeYouTube } from "../../fake-youtube/server.ts";
import { prepareDownloadAt } from "../support/downloads.ts";
import { logLines } from "../support/log-lines.ts";
import { spawnServer } from "../support/server-process.ts";

// The gateway as operators run it: its own process, stopped with a signal mid-download.
const SECRET = "graceful-shutdown-test-secret-0123456789";

let youtube: FakeYouTube;
beforeAll(async () => {
  // About 160 KiB/s: the itag 18 file takes a couple of seconds, long enough to signal mid-way.
  youtube = await startFakeYouTube({ trickle: { chunkBytes: 16 * 1024, intervalMs: 100 } });
});
afterAll(() => youtube.stop());

async function startGateway(graceMs: number) {
  const proc = spawnServer(
    [],
    {
      DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin,
      DOWNTUBE_TOKEN_SECRETS: SECRET,
      DOWNTUBE_SHUTDOWN_GRACE_MS: String(graceMs),
    },
    "inherit",
  );
  const logs = logLines(proc.stdout);
  const base = new URL(String((await logs.until("downtube listening")).url));
  return { proc, logs, base };
}

async function startSlowDownload(base: URL) {
  const { url, contentLength } = await prepareDownloadAt(new URL("/graphql", base), {
    url: VIDEO_IDS.mediaTrickle,
  });
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  let received = first.value?.byteLength ?? 0;
  const rest = (async () => {
    for (let read = await reader.read(); !read.done; read = await reader.read())
      received += read.value.byteLength;
    return received;
  })();
  return { contentLength: Number(contentLength), rest };
}

test("SIGTERM lets a running download finish, answers a new /readyz 503, then exits 0", async () => {
  const { proc, logs, base } = await startGateway(30_000);
  const download = await startSlowDownload(base);

  proc.kill("SIGTERM");
  const draining = await logs.until("draining");
  expect(draining.activeRequests).toBe(1);

  // A load balancer's new probe connection is answered, not refused: 503, draining, and the
  // connection is not kept.
  const probe = await fetch(new URL("/readyz", base));
  expect(probe.status).toBe(503);
  expect(probe.headers.get("connection")).toBe("close");
  expect(await probe.json()).toEqual({ status: "draining" });

  expect(await download.rest).toBe(download.contentLength);
  expect(await proc.exited).toBe(0);
});

test("a download still running when the grace period ends is cut, and the gateway exits 0", async () => {
  const { proc, logs, base } = await startGateway(100);
  const download = await startSlowDownload(base);

  proc.kill("SIGTERM");
  await logs.until("grace period over; closing the remaining requests");
  await expect(download.rest).rejects.toThrow();
  expect(await proc.exited).toBe(0);
});
