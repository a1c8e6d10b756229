/**
 * The YouTube source's thumbnail fetch (its checked YouTube fetch + `fetchImage`) against a hostile image host on loopback (standing in for
 * `i.ytimg.com` through `DOWNTUBE_YOUTUBE_ORIGIN`): only images, by their bytes, within the size
 * cap, on YouTube's hosts, ever come back.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { UpstreamError } from "../../src/core/errors.ts";
import type { ImageBytes } from "../../src/core/ports.ts";
import { fetchImage } from "../../src/sources/image-fetch.ts";
import { createYouTubeFetch } from "../../src/sources/youtube/youtube-fetch.ts";

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const MAX_BYTES = 64 * 1024;
const requested: string[] = [];

/** Each path of the image host and what it answers. */
const ANSWERS: Record<string, () => Response> = {
  "/vi/Plain000001/hqdefault.jpg": () => new Response(JPEG, { headers: { "content-type": "image/jpeg" } }),
  "/vi/Html0000001/hqdefault.jpg": () =>
    new Response("<script>alert(1)</script>", { headers: { "content-type": "text/html" } }),
  "/vi/Svg00000001/hqdefault.jpg": () =>
    new Response('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', {
      headers: { "content-type": "image/svg+xml" },
    }),
  "/vi/Lying000001/hqdefault.jpg": () =>
    new Response("<html>not a picture</html>", { headers: { "content-type": "image/jpeg" } }),
  "/vi/Huge0000001/hqdefault.jpg": () => {
    // No Content-Length: the cap must hold while reading, not only by the header.
    const chunk = new Uint8Array(16 * 1024);
    chunk.set(JPEG);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 16) return controller.close();
        sent += 1;
        controller.enqueue(chunk.slice());
      },
    });
    return new Response(body, { headers: { "content-type": "image/jpeg" } });
  },
  "/vi/Away0000001/hqdefault.jpg": () =>
    new Response(null, { status: 302, headers: { location: "https://images.example.com/a.jpg" } }),
  "/vi/Gone0000001/hqdefault.jpg": () => new Response("gone", { status: 404 }),
};

let server: ReturnType<typeof Bun.serve>;
let fetchThumbnail: (url: string, signal: AbortSignal) => Promise<ImageBytes>;

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const { pathname } = new URL(request.url);
      requested.push(pathname);
      return ANSWERS[pathname]?.() ?? new Response("no such path", { status: 404 });
    },
  });
  const youtubeFetch = createYouTubeFetch({
    fetch: (input, init) => fetch(input, init),
    origin: new URL(`http://127.0.0.1:${server.port}`),
  });
  fetchThumbnail = (url, signal) =>
    fetchImage({ fetch: youtubeFetch, timeoutMs: 5000, maxBytes: MAX_BYTES }, url, signal);
});

afterAll(() => server?.stop(true));

const ytimg = (id: string) => `https://i.ytimg.com/vi/${id}/hqdefault.jpg`;
const signal = () => new AbortController().signal;

test("an image comes back with the type its bytes say, from the configured origin", async () => {
  const image = await fetchThumbnail(ytimg("Plain000001"), signal());
  expect(image.contentType).toBe("image/jpeg");
  expect(image.bytes).toEqual(JPEG);
  expect(requested).toContain("/vi/Plain000001/hqdefault.jpg");
});

test.each([
  ["an HTML page", "Html0000001"],
  ["an SVG image (it can hold script)", "Svg00000001"],
  ["HTML declared as a JPEG", "Lying000001"],
  ["a body past the size cap, without Content-Length", "Huge0000001"],
  ["a redirect off YouTube's hosts", "Away0000001"],
  ["a 404", "Gone0000001"],
])("%s is refused as UPSTREAM_ERROR", async (_what, id) => {
  const refused = await fetchThumbnail(ytimg(id), signal()).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(UpstreamError);
  expect((refused as UpstreamError).message).not.toContain("127.0.0.1");
});

test("a URL off YouTube's hosts is never requested", async () => {
  const before = requested.length;
  const refused = await fetchThumbnail("https://images.example.com/vi/Plain000001/a.jpg", signal()).catch(
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(UpstreamError);
  expect(requested).toHaveLength(before);
});
