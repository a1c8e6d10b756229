import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordedDetails, recordedFixture } from "../../fake-youtube/fixtures.ts";
import { type FakeYouTube, startFakeYouTube } from "../../fake-youtube/server.ts";
import { logLines } from "../support/log-lines.ts";
import { exists, thenKill } from "../support/processes.ts";

// The gateway as people and process managers start it, and stop it: by the PID they hold.
const root = new URL("../..", import.meta.url).pathname;

let youtube: FakeYouTube;
beforeAll(async () => {
  youtube = await startFakeYouTube();
});
afterAll(() => youtube.stop());

function spawnFrom(cmd: string[], env: Record<string, string>, cwd = root) {
  return Bun.spawn(cmd, {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
}

/** Whether anything still answers at `url`. */
const answers = (url: string) =>
  fetch(url).then(
    () => true,
    () => false,
  );

test("stopping the PID of npm start drains and stops the gateway it started", async () => {
  const npm = spawnFrom(["npm", "start"], { DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin });
  const logs = logLines(npm.stdout);
  const started = await logs.until("downtube listening");
  const gateway = Number(started.pid);
  await thenKill([gateway], async () => {
    expect(gateway).not.toBe(npm.pid);
    expect(await answers(new URL("/healthz", String(started.url)).href)).toBe(true);

    npm.kill("SIGTERM");
    expect(await logs.until("stopping")).toMatchObject({ signal: "SIGTERM" });
    await logs.until("stopped");
    await npm.exited;
    expect(exists(gateway)).toBe(false);
    expect(await answers(new URL("/healthz", String(started.url)).href)).toBe(false);
  });
});

test("stopping the PID of npm run demo stops the gateway and the simulated YouTube", async () => {
  const npm = spawnFrom(["npm", "run", "demo"], { FAKE_YOUTUBE_PORT: "0" });
  const logs = logLines(npm.stdout);
  const started = await logs.until("downtube listening");
  const simulated = new URL("/watch?v=x", String(started.youtubeOrigin)).href;
  // The demo stops its simulated YouTube once its gateway is gone.
  await thenKill([Number(started.pid)], async () => {
    expect(await answers(simulated)).toBe(true);

    npm.kill("SIGTERM");
    await logs.until("stopped");
    await npm.exited;
    expect(exists(Number(started.pid))).toBe(false);
    expect(await answers(new URL("/healthz", String(started.url)).href)).toBe(false);
    expect(await answers(simulated)).toBe(false);
  });
});

test("Ctrl-C (SIGINT to the whole process group of npm run demo) drains: a running download finishes", async () => {
  // setsid: the demo leads a process group of its own, as a terminal's foreground job does.
  const npm = spawnFrom(["setsid", "npm", "run", "demo"], { FAKE_YOUTUBE_PORT: "0" });
  const logs = logLines(npm.stdout);
  const started = await logs.until("downtube listening");
  await thenKill([Number(started.pid), npm.pid], async () => {
    const prepared = await fetch(String(started.graphql), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: 'mutation { prepareDownload(input: {url: "Large000001"}) { url contentLength } }',
      }),
    });
    const { data } = (await prepared.json()) as {
      data: { prepareDownload: { url: string; contentLength: number } };
    };
    const download = await fetch(data.prepareDownload.url);
    const reader = (download.body as ReadableStream<Uint8Array>).getReader();
    // One chunk read, then nothing until the signal is in: the response stays in flight.
    let received = (await reader.read()).value?.byteLength ?? 0;

    process.kill(-npm.pid, "SIGINT");
    expect(await logs.until("draining")).toMatchObject({ activeRequests: 1 });
    // The demo passes the stop on to its gateway a moment later: the same request, not a second one.
    await logs.until("already draining: the same stop request again");
    for (let read = await reader.read(); !read.done; read = await reader.read())
      received += read.value.byteLength;
    expect(received).toBe(data.prepareDownload.contentLength);
    await logs.until("stopped");
    expect(await npm.exited).toBe(0);
    expect(exists(Number(started.pid))).toBe(false);
  });
});

test("bun src/server.ts from another directory extracts as npm start does, leaving no file behind", async () => {
  const cwd = await mkdtemp(join(tmpdir(), "downtube-cwd-"));
  try {
    const server = spawnFrom(
      [process.execPath, join(root, "src/server.ts")],
      { DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin },
      cwd,
    );
    const started = await logLines(server.stdout).until("downtube listening");
    // A recorded 2020 page: ytdl-core cannot parse its player's n-function and would save it.
    const fixture = recordedFixture("regular");
    const response = await fetch(String(started.graphql), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ video(url: "${fixture.id}") { title } }` }),
    });
    expect(await response.json()).toEqual({ data: { video: { title: recordedDetails("regular").title } } });
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(await readdir(cwd)).toEqual([]);
    const stderr = await new Response(server.stderr).text();
    expect(stderr).not.toContain("function(");
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
});
