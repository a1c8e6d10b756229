import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { prepareDownload, type Ticket } from "../support/downloads.ts";
import { type Stack, startStack } from "../support/stack.ts";

const prepare = (on: Stack, id: string, input: Record<string, unknown> = {}): Promise<Ticket> =>
  prepareDownload(on, { url: id, ...input });

// What the download route does when the origin fails, stalls, dies mid-body, refuses an expired
// URL, or when the client goes away.

const SECRET = "download-failures-test-secret-0123456789abcdef";
const SLOW_WATCH_MS = 1200;
/** Upstream budget of the gateway behind the holding proxy: shorter than the slow watch page. */
const SHORT_TIMEOUT_MS = 800;
/** Trickle pace: the 336 kB itag 18 file takes about 2 s, well past SHORT_TIMEOUT_MS. */
const TRICKLE = { chunkBytes: 16 * 1024, intervalMs: 100 };

/**
 * Forwards every request to the simulated YouTube, except three media answers it controls, all
 * of the plain video: itag 18 is never answered (an origin whose media requests stall); itag 248
 * sends its first 64 KiB, then dies when the test calls `cut()` (an origin that dies mid-stream
 * once the client has provably received bytes); itag 137 sends its first 64 KiB, then nothing
 * more (an origin that goes silent mid-body).
 */
function startControlledProxy(target: string) {
  const held: Promise<number>[] = [];
  let heldArrived: () => void = () => {};
  const firstHeld = new Promise<void>((resolve) => {
    heldArrived = resolve;
  });
  let cut = Promise.withResolvers<void>();
  /** Settles when the gateway closes the silent itag 137 request. */
  const silentClosed: Promise<void>[] = [];

  const forward = async (request: Request, url: URL) => {
    const headers = new Headers(request.headers);
    for (const name of ["host", "accept-encoding", "content-length"]) headers.delete(name);
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    return fetch(new URL(url.pathname + url.search, target), {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      signal: request.signal,
    });
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const media = url.pathname === "/videoplayback" && url.searchParams.get("id") === VIDEO_IDS.plain;
      if (media && url.searchParams.get("itag") === "18") {
        const closed = new Promise<number>((resolve) =>
          request.signal.addEventListener("abort", () => resolve(performance.now()), { once: true }),
        );
        held.push(closed);
        heldArrived();
        await closed;
        return new Response(null, { status: 499 });
      }
      const upstream = await forward(request, url);
      const answer = new Headers(upstream.headers);
      answer.delete("content-encoding");
      answer.delete("content-length");
      const itag = url.searchParams.get("itag");
      if (!(media && (itag === "248" || itag === "137") && upstream.status === 206)) {
        return new Response(upstream.body, { status: upstream.status, headers: answer });
      }
      const bytes = new Uint8Array(await upstream.arrayBuffer());
      if (itag === "137") {
        const closed = new Promise<void>((resolve) =>
          request.signal.addEventListener("abort", () => resolve(), { once: true }),
        );
        silentClosed.push(closed);
        const silent = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes.subarray(0, 64 * 1024));
          },
          pull: () => closed,
        });
        return new Response(silent, { status: 206, headers: answer });
      }
      const dies = cut.promise;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.subarray(0, 64 * 1024));
        },
        async pull(controller) {
          await dies;
          // The connection drops on purpose: no reason given, so Bun.serve prints nothing.
          controller.error();
        },
      });
      return new Response(body, { status: 206, headers: answer });
    },
  });
  return {
    origin: `http://127.0.0.1:${server.port}`,
    held,
    firstHeld,
    silentClosed,
    /** Kills the media connection of itag 248 in flight. */
    cut() {
      cut.resolve();
      cut = Promise.withResolvers<void>();
    },
    stop: () => server.stop(true),
  };
}

let stack: Stack;
/** A second gateway with the same token secret and a short upstream budget, behind the proxy. */
let stalled: Stack;
let proxy: ReturnType<typeof startControlledProxy>;
let dir: string;
beforeAll(async () => {
  stack = await startStack(
    { DOWNTUBE_UPSTREAM_TIMEOUT_MS: "5000", DOWNTUBE_TOKEN_SECRETS: SECRET },
    { slowWatchDelayMs: SLOW_WATCH_MS, trickle: TRICKLE },
  );
  proxy = startControlledProxy(stack.youtube.origin);
  stalled = await startStack({
    DOWNTUBE_YOUTUBE_ORIGIN: proxy.origin,
    DOWNTUBE_UPSTREAM_TIMEOUT_MS: String(SHORT_TIMEOUT_MS),
    DOWNTUBE_TOKEN_SECRETS: SECRET,
  });
  dir = await mkdtemp(join(tmpdir(), "downtube-failures-"));
});
afterAll(async () => {
  await stalled.stop();
  await proxy.stop();
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Rejects after `ms` unless `promise` settles first. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: Timer | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function expectJsonError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  expect(response.headers.get("content-disposition")).toBeNull();
  expect(await response.json()).toMatchObject({ error: { code } });
}

async function sha256(bytes: ArrayBuffer | string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(typeof bytes === "string" ? await Bun.file(bytes).arrayBuffer() : bytes);
  return hasher.digest("hex");
}

function originPath(itag: 18) {
  const file = stack.youtube.media.get(itag);
  if (file === undefined) throw new Error(`the simulated YouTube has no itag ${itag}`);
  return file;
}

describe("an origin failure before the first byte is a JSON error, never a 200", () => {
  test("media answered 503: 502 UPSTREAM_ERROR", async () => {
    const ticket = await prepare(stack, VIDEO_IDS.mediaUnavailable);
    await expectJsonError(await fetch(ticket.url), 502, "UPSTREAM_ERROR");
    const media = stack.youtube.hits.filter("media", VIDEO_IDS.mediaUnavailable);
    expect(media.map((hit) => hit.status)).toEqual([503]);
  });

  test("curl sees the 502 status line, not a 200 with an empty body", async () => {
    const ticket = await prepare(stack, VIDEO_IDS.mediaUnavailable);
    const proc = Bun.spawn(
      ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{content_type}", ticket.url],
      {
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(0);
    expect(out).toStartWith("502 application/json");
  });

  test("media request unanswered within DOWNTUBE_UPSTREAM_TIMEOUT_MS: 504 UPSTREAM_TIMEOUT, origin request closed", async () => {
    const ticket = await prepare(stalled, VIDEO_IDS.plain);
    const response = await fetch(ticket.url);
    await expectJsonError(response, 504, "UPSTREAM_TIMEOUT");
    await proxy.firstHeld;
    // The gateway gave up on the stalled origin request instead of leaving it open.
    const closed = proxy.held[0];
    if (closed === undefined) throw new Error("the proxy held no media request");
    await within(closed, 1000, "the stalled media request was closed");
  });

  test("extraction when redeeming a token times out: 504 UPSTREAM_TIMEOUT", async () => {
    // Minted by the gateway with the long budget (its extraction waits out the slow watch page),
    // redeemed on the one with the short budget: its cache is empty, so it extracts again, and
    // the same slow watch page now takes longer than it may wait.
    const ticket = await prepare(stack, VIDEO_IDS.slowWatch);
    const url = new URL(new URL(ticket.url).pathname, stalled.gateway.url);
    const started = performance.now();
    await expectJsonError(await fetch(url), 504, "UPSTREAM_TIMEOUT");
    expect(performance.now() - started).toBeLessThan(SLOW_WATCH_MS);
  });
});

/** curl downloading a format of the plain video through the proxy that cuts or silences it. */
async function curlBehindProxy(itag: 248 | 137, maxTimeSeconds: number) {
  const ticket = await prepare(stalled, VIDEO_IDS.plain, { format: { itag } });
  const size = ticket.contentLength ?? 0;
  expect(size).toBeGreaterThan(64 * 1024);
  const proc = Bun.spawn(["curl", "-sS", "--max-time", String(maxTimeSeconds), "-o", "-", ticket.url], {
    stdout: "pipe",
    stderr: "pipe",
  });
  return { size, proc };
}

describe("an origin that dies mid-stream aborts the response", () => {
  test("curl exits with code 18 (partial file), short of Content-Length", async () => {
    const { size, proc } = await curlBehindProxy(248, 3);
    const reader = proc.stdout.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    let received = first.value?.byteLength ?? 0;
    proxy.cut();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      received += read.value.byteLength;
    }
    expect(await proc.exited).toBe(18);
    expect(received).toBeLessThan(size);
  });

  test("fetch's body read rejects", async () => {
    const ticket = await prepare(stalled, VIDEO_IDS.plain, { format: { itag: 248 } });
    const response = await fetch(ticket.url, { signal: AbortSignal.timeout(3000) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(ticket.contentLength));
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error("no body");
    expect((await reader.read()).done).toBe(false);
    proxy.cut();
    const drain = async () => {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {}
    };
    await expect(drain()).rejects.toThrow();
  });

  test("MediaCut001: a 502 JSON error when nothing arrived, else a 200 whose body fails", async () => {
    // The simulated origin resets the connection halfway through the body; whether any byte
    // reaches the gateway before the reset depends on the kernel. Either answer keeps the
    // contract: no response ever looks complete.
    const ticket = await prepare(stack, VIDEO_IDS.mediaTruncated);
    const response = await fetch(ticket.url, { signal: AbortSignal.timeout(3000) });
    if (response.status === 502) {
      await expectJsonError(response, 502, "UPSTREAM_ERROR");
      return;
    }
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(originPath(18).size));
    await expect(response.arrayBuffer()).rejects.toThrow();
  });
});

describe("an origin that goes silent mid-body", () => {
  test("is asked once more, then cut after DOWNTUBE_UPSTREAM_TIMEOUT_MS without a byte: curl exits 18 and both origin requests are closed", async () => {
    const { size, proc } = await curlBehindProxy(137, 10);
    const received = (await new Response(proc.stdout).arrayBuffer()).byteLength;
    // Not curl's own --max-time (exit 28): the gateway cut the response short of its length.
    expect(await proc.exited).toBe(18);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(size);
    // The range that went silent was asked again once, for what was missing, and went silent again.
    expect(proxy.silentClosed).toHaveLength(2);
    await within(Promise.all(proxy.silentClosed), 1000, "the origin saw its silent media requests closed");
  });
});

describe("a client that goes away", () => {
  test("cancels the origin request within a second", async () => {
    const ticket = await prepare(stack, VIDEO_IDS.mediaTrickle);
    const controller = new AbortController();
    const response = await fetch(ticket.url, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error("no body");
    const first = await reader.read();
    expect(first.done).toBe(false);

    const aborted = stack.youtube.hits.onMediaAborted(VIDEO_IDS.mediaTrickle);
    const abortedAt = performance.now();
    controller.abort();
    const hit = await within(aborted, 1000, "the origin saw its media connection close");
    expect(hit.aborted).toBe(true);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
  });
});

describe("an origin slower than the upstream budget", () => {
  test("a transfer longer than DOWNTUBE_UPSTREAM_TIMEOUT_MS is not cut: the budget bounds the answer, not the body", async () => {
    const ticket = await prepare(stalled, VIDEO_IDS.mediaTrickle);
    const started = performance.now();
    const response = await fetch(ticket.url);
    expect(response.status).toBe(200);
    const body = await response.arrayBuffer();
    expect(performance.now() - started).toBeGreaterThan(SHORT_TIMEOUT_MS);
    expect(await sha256(body)).toBe(await sha256(originPath(18).path));
  });
});

describe("an expired googlevideo URL", () => {
  test("answered 403 is refreshed once by a new extraction and the download goes on", async () => {
    const id = VIDEO_IDS.expiredOnce;
    const ticket = await prepare(stack, id);
    expect(stack.youtube.hits.extractions(id)).toBe(1);
    const response = await fetch(ticket.url);
    expect(response.status).toBe(200);
    expect(await sha256(await response.arrayBuffer())).toBe(await sha256(originPath(18).path));
    expect(stack.youtube.hits.extractions(id)).toBe(2);
    const media = stack.youtube.hits.filter("media", id).map((hit) => hit.status);
    expect(media.filter((status) => status === 403)).toHaveLength(1);
    expect(media.at(-1)).toBe(206);
  });
});
