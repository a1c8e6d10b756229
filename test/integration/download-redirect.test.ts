import { afterAll, beforeAll, expect, test } from "bun:test";
import { prepareDownload } from "../support/downloads.ts";
import { type Stack, startStack } from "../support/stack.ts";

/** Small upstream chunks: the file takes several ranged requests. */
const CHUNK = 65_536;
const SIZE = 5 * CHUNK + 1234;
const VIDEO_ID = "Redirected1";

/** The bytes the other origin holds: every byte differs from its neighbours. */
const bytes = Uint8Array.from({ length: SIZE }, (_, i) => (i * 7 + (i >> 8)) & 0xff);

/** Another origin, as googlevideo redirects to: it serves ranges of `bytes` and logs each one. */
const ranges: string[] = [];
const other = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(request) {
    const range = request.headers.get("range") ?? "";
    ranges.push(range);
    const match = /^bytes=(\d+)-(\d+)$/.exec(range);
    if (match === null) return new Response("ranged requests only", { status: 400 });
    const start = Number(match[1]);
    const end = Math.min(Number(match[2]), SIZE - 1);
    return new Response(bytes.slice(start, end + 1), {
      status: 206,
      headers: { "Content-Range": `bytes ${start}-${end}/${SIZE}` },
    });
  },
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(
    { DOWNTUBE_UPSTREAM_CHUNK_BYTES: String(CHUNK) },
    { externalMedia: { [VIDEO_ID]: { url: `${other.url.href}media.mp4`, bytes: SIZE } } },
  );
});
afterAll(async () => {
  await stack.stop();
  await other.stop(true);
});

test("a media URL that redirects is followed once: the later chunks go straight to its target", async () => {
  const { url } = await prepareDownload(stack, { url: VIDEO_ID });
  const mediaBefore = stack.youtube.hits.count("media");
  ranges.length = 0;

  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);

  const chunks = Math.ceil(SIZE / CHUNK);
  // Several ranges may be in flight at once: they may reach the origin in any order.
  const byStart = (range: string) => Number(/=(\d+)-/.exec(range)?.[1]);
  expect(ranges.toSorted((a, b) => byStart(a) - byStart(b))).toEqual(
    Array.from({ length: chunks }, (_, i) => `bytes=${i * CHUNK}-${Math.min((i + 1) * CHUNK, SIZE) - 1}`),
  );
  // Only the first chunk went through the redirecting media URL.
  expect(stack.youtube.hits.count("media") - mediaBefore).toBe(1);
});

test("the next download of the same media URL goes straight to the redirect's target, before its first byte", async () => {
  const { url } = await prepareDownload(stack, { url: VIDEO_ID });
  await (await fetch(url)).arrayBuffer();
  const mediaBefore = stack.youtube.hits.count("media");
  ranges.length = 0;

  const response = await fetch(url, { headers: { Range: "bytes=100-199" } });
  expect(response.status).toBe(206);
  expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes.slice(100, 200));
  expect(ranges).toEqual(["bytes=100-199"]);
  // The redirecting URL was not asked again: its target was remembered.
  expect(stack.youtube.hits.count("media") - mediaBefore).toBe(0);
});
