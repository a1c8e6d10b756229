import { afterAll, beforeAll, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { type OffloadStack, startOffloadStack } from "../support/offload-stack.ts";

// An expired media URL behind nginx: the origin's 403 goes back to the gateway, which extracts
// the video once more and redirects nginx again; a second refusal ends as a JSON error.

/**
 * Forwards every request to the simulated YouTube, but refuses (403, as googlevideo refuses an
 * expired URL) media requests of the plain video once, and of the cipher video always. The
 * gateway's own one-byte probe (`Range: bytes=0-0`) is let through, so it is nginx that meets
 * the refusal.
 */
function startRefusingProxy() {
  let target = "";
  let plainRefusals = 1;
  const refused: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const id = url.searchParams.get("id");
      const probe = request.headers.get("range") === "bytes=0-0";
      if (url.pathname === "/videoplayback" && !probe) {
        const refuse = id === VIDEO_IDS.cipher || (id === VIDEO_IDS.plain && plainRefusals-- > 0);
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
      return new Response(upstream.body, { status: upstream.status, headers: answer });
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

let proxy: ReturnType<typeof startRefusingProxy>;
let front: OffloadStack;
beforeAll(async () => {
  proxy = startRefusingProxy();
  front = await startOffloadStack({ DOWNTUBE_YOUTUBE_ORIGIN: proxy.origin });
  proxy.pointAt(front.stack.youtube.origin);
});
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
