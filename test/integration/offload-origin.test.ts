import { afterAll, beforeAll, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import {
  type OffloadStack,
  OFFLOAD_STARTUP_MS as STARTUP_MS,
  startOffloadStack,
} from "../support/offload-stack.ts";

// Origins that fail behind nginx. An expired media URL: the origin's 403 goes back to the
// gateway, which extracts the video once more and redirects nginx again; a second refusal ends
// as a JSON error. An origin that dies mid-stream: the client sees the truncation.

/** The plain video's itag 137 (743 kB) dies in the slice at this offset. */
const DIES_AT = 3 * 65536;

/**
 * Forwards every request to the simulated YouTube, but refuses (403, as googlevideo refuses an
 * expired URL) media requests of the plain video's itag 18 once, and of the cipher video always;
 * and cuts the connection of the plain video's itag 137 after 16 KiB of the slice that starts
 * at {@link DIES_AT}, once nginx has sent the client the earlier slices. The gateway's own
 * one-byte probe (`Range: bytes=0-0`) is let through, so it is nginx that meets the failures.
 */
function startFailingProxy() {
  let target = "";
  let plainRefusals = 1;
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
      const dies = id === VIDEO_IDS.plain && itag === "137" && range?.startsWith(`bytes=${DIES_AT}-`);
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

// nginx 1.22's slice module goes on with the next slices after one that broke off (see the
// README), so the client sees the truncation against Content-Length only because downloads do
// not keep their connection open (keepalive_timeout 0 in the fetch locations).
test("an origin that dies mid-stream: the client gets the status, earlier bytes, then the truncation", async () => {
  const ticket = await front.prepare({ url: VIDEO_IDS.plain, format: { itag: 137 } });
  const size = ticket.contentLength ?? 0;
  expect(size).toBeGreaterThan(DIES_AT + 65536);
  const curl = Bun.spawn(
    ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", ticket.url],
    {
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const [code, written] = await Promise.all([curl.exited, new Response(curl.stdout).text()]);
  const [status, received] = written.split(" ").map(Number);
  expect(status).toBe(200);
  expect(code).toBe(18); // CURLE_PARTIAL_FILE: the declared Content-Length was not reached
  expect(received).toBeGreaterThanOrEqual(DIES_AT);
  expect(received).toBeLessThan(size);
});
