import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import {
  type OffloadStack,
  OFFLOAD_STARTUP_MS as STARTUP_MS,
  startOffloadStack,
} from "../support/offload-stack.ts";

// Origins that fail behind nginx. An expired media URL: the origin's 403 goes back to the
// gateway, which extracts the video once more and redirects nginx again; a second refusal ends
// as a JSON error. An origin that dies mid-slice: the client keeps a true prefix of the file.

/** The plain video's itag 137 (743 kB) dies in the slice at this offset. */
const DIES_AT = 3 * 65536;

/**
 * Forwards every request to the simulated YouTube, but refuses (403, as googlevideo refuses an
 * expired URL) media requests of the plain video's itag 18 once, and of the cipher video always;
 * and cuts the connection of the plain video's itag 137, once, after 16 KiB of the slice that starts
 * at {@link DIES_AT}, once nginx has sent the client the earlier slices. The gateway's own
 * one-byte probe (`Range: bytes=0-0`) is let through, so it is nginx that meets the failures.
 */
function startFailingProxy() {
  let target = "";
  let plainRefusals = 1;
  let deaths = 1;
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
        id === VIDEO_IDS.plain && itag === "137" && range?.startsWith(`bytes=${DIES_AT}-`) && deaths-- > 0;
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
  front = await startOffloadStack({ DOWNTUBE_YOUTUBE_ORIGIN: proxy.origin });
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
  const size = ticket.contentLength ?? 0;
  expect(size).toBeGreaterThan(DIES_AT + 2 * 65536);
  const file = front.stack.youtube.media.get(137);
  if (file === undefined) throw new Error("no itag 137");
  const original = await Bun.file(file.path).bytes();
  const dir = await mkdtemp(join(tmpdir(), "downtube-resume-"));
  const saved = join(dir, "video.mp4");
  try {
    const first = await curl(["-o", saved, ticket.url]);
    expect(first.status).toBe(200);
    expect(first.code).toBe(18); // CURLE_PARTIAL_FILE: the declared Content-Length was not reached
    const prefix = await Bun.file(saved).bytes();
    expect(prefix.length).toBe(first.received);
    expect(prefix.length).toBeGreaterThanOrEqual(DIES_AT);
    expect(prefix.length).toBeLessThan(DIES_AT + 65536);
    expect(sha256(prefix)).toBe(sha256(original.subarray(0, prefix.length)));

    // curl -C - asks for the rest from its byte count, as download managers do.
    const rest = await curl(["-C", "-", "-o", saved, ticket.url]);
    expect({ code: rest.code, status: rest.status }).toEqual({ code: 0, status: 206 });
    expect(sha256(await Bun.file(saved).bytes())).toBe(sha256(original));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Runs curl with `args`; its exit code, the HTTP status and the bytes it received. */
async function curl(args: readonly string[]) {
  const child = Bun.spawn(["curl", "-sS", "-w", "%{http_code} %{size_download}", ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, written] = await Promise.all([child.exited, new Response(child.stdout).text()]);
  const [status = Number.NaN, received = Number.NaN] = written.split(" ").map(Number);
  return { code, status, received };
}
