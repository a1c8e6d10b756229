import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import type { MediaItag } from "../../fake-youtube/media.ts";
import { curlRun } from "../support/curl.ts";
import {
  type OffloadStack,
  OFFLOAD_STARTUP_MS as STARTUP_MS,
  startOffloadStack,
} from "../support/offload-stack.ts";

// Origins that fail behind nginx. An expired media URL: the origin's 403 goes back to the
// gateway, which extracts the video once more and redirects nginx again; a second refusal ends
// as a JSON error. An origin that dies mid-slice: the client keeps a true prefix of the file.

/** Each slice nginx fetches (the stack's DOWNTUBE_UPSTREAM_CHUNK_BYTES). */
const SLICE = 65536;
/** The plain video's itag 137 (743 kB) dies in the slice at this offset, a middle one. */
const DIES_AT = 3 * SLICE;

/**
 * Forwards every request to the simulated YouTube, but refuses (403, as googlevideo refuses an
 * expired URL) media requests of the plain video's itag 18 once, and of the cipher video always;
 * and cuts the connection of a plain video's format, once, after 16 KiB of the slice that starts
 * where {@link dieOnce} says, once nginx has sent the client the earlier slices. The gateway's own
 * one-byte probe (`Range: bytes=0-0`) is let through, so it is nginx that meets the failures.
 */
function startFailingProxy() {
  let target = "";
  let plainRefusals = 1;
  let death: { itag: string; at: number } | undefined;
  const refused: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const id = url.searchParams.get("id");
      const itag = url.searchParams.get("itag");
      const range = request.headers.get("range");
      const probe = range === "bytes=0-0";
      if (url.pathname === "/videoplayback" && !probe) {
        const refuse =
          id === VIDEO_IDS.cipher || (id === VIDEO_IDS.plain && itag === "18" && plainRefusals-- > 0);
        if (refuse) {
          refused.push(id ?? "");
          return new Response("URL expired\n", { status: 403 });
        }
      }
      const headers = new Headers(request.headers);
      for (const name of ["host", "accept-encoding", "content-length", "connection"]) headers.delete(name);
      const hasBody = request.method !== "GET" && request.method !== "HEAD";
      const upstream = await fetch(new URL(url.pathname + url.search, target), {
        method: request.method,
        headers,
        body: hasBody ? await request.arrayBuffer() : undefined,
        signal: request.signal,
      });
      const answer = new Headers(upstream.headers);
      answer.delete("content-encoding");
      const dies =
        id === VIDEO_IDS.plain && itag === death?.itag && range?.startsWith(`bytes=${death.at}-`) === true;
      if (dies) death = undefined;
      if (!dies) return new Response(upstream.body, { status: upstream.status, headers: answer });
      const head = new Uint8Array(await upstream.arrayBuffer()).subarray(0, 16 * 1024);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(head);
        },
        pull(controller) {
          controller.error(new Error("test proxy: simulated media connection drop mid-stream (intentional)"));
        },
      });
      return new Response(body, { status: 206, headers: answer });
    },
  });
  return {
    origin: `http://127.0.0.1:${server.port}`,
    refused,
    /** The next request for the slice of the plain video's `itag` at byte `at` breaks off. */
    dieOnce(itag: number, at: number) {
      death = { itag: String(itag), at };
    },
    pointAt(origin: string) {
      target = origin;
    },
    stop: () => server.stop(true),
  };
}

let proxy: ReturnType<typeof startFailingProxy>;
let front: OffloadStack;
beforeAll(async () => {
  proxy = startFailingProxy();
  // One stream per client: a download that goes back to the gateway for a fresh media URL and on
  // to nginx's second fetch location must still count once.
  front = await startOffloadStack({
    DOWNTUBE_YOUTUBE_ORIGIN: proxy.origin,
    DOWNTUBE_MAX_STREAMS_PER_CLIENT: "1",
  });
  proxy.pointAt(front.stack.youtube.origin);
}, STARTUP_MS);
afterAll(async () => {
  await front.stop();
  await proxy.stop();
});

const sha256 = (bytes: ArrayBuffer | Uint8Array) =>
  new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

test("a 403 from the origin sends nginx back to the gateway, which extracts again and the download goes on", async () => {
  const id = VIDEO_IDS.plain;
  const ticket = await front.prepare({ url: id });
  expect(front.stack.youtube.hits.count("watch", id)).toBe(1);
  const response = await fetch(ticket.url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-length")).toBe(String(ticket.contentLength));
  // One of each gateway header: the second redirect does not add its headers again.
  expect(response.headers.get("cache-control")).toBe("private, no-transform");
  expect(response.headers.get("content-disposition")).toStartWith("attachment; filename=");
  expect(response.headers.get("content-disposition")).not.toContain(", attachment");
  const file = front.stack.youtube.media.get(18);
  if (file === undefined) throw new Error("no itag 18");
  expect(sha256(await response.arrayBuffer())).toBe(sha256(await Bun.file(file.path).bytes()));
  expect(proxy.refused).toEqual([id]);
  expect(front.stack.youtube.hits.count("watch", id)).toBe(2);
  // Two redirects (the download, then the refresh), no byte through the gateway.
  expect(front.gatewayDownloadBytes()).toEqual([0, 0]);
});

test("a URL still refused after the refresh ends as 502 UPSTREAM_ERROR after one re-extraction", async () => {
  const id = VIDEO_IDS.cipher;
  const ticket = await front.prepare({ url: id });
  const response = await fetch(ticket.url);
  expect(response.status).toBe(502);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  expect(response.headers.get("content-disposition")).toBeNull();
  expect(await response.json()).toMatchObject({ error: { code: "UPSTREAM_ERROR" } });
  expect(proxy.refused.filter((refused) => refused === id)).toHaveLength(2);
  expect(front.stack.youtube.hits.count("watch", id)).toBe(2);
});

// nginx 1.22's slice module goes on with the next slices after one that broke off; the slice
// guard (src/offload/slice-guard.js) ends the response there instead, so what the client has is a
// true prefix of the file and a resume from its byte count builds the right file.
test("an origin that dies mid-slice: the client keeps a true prefix, and a resume completes the file", async () => {
  const ticket = await front.prepare({ url: VIDEO_IDS.plain, format: { itag: 137 } });
  expect(ticket.contentLength ?? 0).toBeGreaterThan(DIES_AT + 2 * SLICE);
  proxy.dieOnce(137, DIES_AT);
  const kept = await downloadThenResume(ticket.url, 137);
  expect(kept).toBeGreaterThanOrEqual(DIES_AT);
  expect(kept).toBeLessThan(DIES_AT + SLICE);
});

// Nothing follows a last slice that broke off, so nothing is shifted; nginx closes the
// connection after each download (keepalive_timeout 0) so that the client sees the shortfall
// at once rather than wait for bytes that never come.
test("an origin that dies in the last slice: the client sees the shortfall at once, and a resume completes the file", async () => {
  const ticket = await front.prepare({ url: VIDEO_IDS.plain, format: { itag: 140 } });
  const size = ticket.contentLength ?? 0;
  const lastSlice = Math.floor((size - 1) / SLICE) * SLICE;
  expect(lastSlice).toBeGreaterThan(0);
  expect(size - lastSlice).toBeGreaterThan(16 * 1024); // the slice breaks off after 16 KiB
  proxy.dieOnce(140, lastSlice);
  const kept = await downloadThenResume(ticket.url, 140);
  expect(kept).toBe(lastSlice + 16 * 1024);
});

/**
 * Downloads `url` with curl into a file, expecting it to break off; checks that what arrived is
 * the start of the format's file; resumes with `curl -C -` (a ranged request from the byte count,
 * as download managers do) and checks the whole file. Returns how many bytes the first try kept.
 */
async function downloadThenResume(url: string, itag: MediaItag): Promise<number> {
  const file = front.stack.youtube.media.get(itag);
  if (file === undefined) throw new Error(`no itag ${itag}`);
  const original = await Bun.file(file.path).bytes();
  const dir = await mkdtemp(join(tmpdir(), "downtube-resume-"));
  const saved = join(dir, "media");
  try {
    const first = await curlRun(["-o", saved, url]);
    expect(first.status).toBe(200);
    expect(first.code).toBe(18); // CURLE_PARTIAL_FILE: the declared Content-Length was not reached
    const prefix = await Bun.file(saved).bytes();
    expect(prefix.length).toBe(first.received);
    expect(sha256(prefix)).toBe(sha256(original.subarray(0, prefix.length)));

    const rest = await curlRun(["-C", "-", "-o", saved, url]);
    expect({ code: rest.code, status: rest.status }).toEqual({ code: 0, status: 206 });
    expect(sha256(await Bun.file(saved).bytes())).toBe(sha256(original));
    return prefix.length;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
