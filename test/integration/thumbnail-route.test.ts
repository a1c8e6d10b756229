/**
 * `GET|HEAD /thumbnail/:videoId` against the simulated YouTube: a known video's thumbnail comes
 * through the gateway as a checked image, fetched once and then answered from the cache; it takes
 * a video id, never a URL, so it is no open proxy.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { type Stack, startStack } from "../support/stack.ts";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => stack.youtube.reset());

const thumbnailUrl = (id: string) => new URL(`/thumbnail/${id}`, stack.gateway.url).href;
const imageHits = () => stack.youtube.hits.all.filter((hit) => hit.kind === "thumbnail");

test("a known video's thumbnail is a JPEG fetched from the image host once, then from the cache", async () => {
  const first = await fetch(thumbnailUrl(VIDEO_IDS.cipher));
  expect(first.status).toBe(200);
  expect(first.headers.get("content-type")).toBe("image/jpeg");
  expect(first.headers.get("x-content-type-options")).toBe("nosniff");
  expect(first.headers.get("cache-control")).toStartWith("public, max-age=");
  const bytes = new Uint8Array(await first.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  // The smallest of the declared thumbnails at least 480 px wide.
  expect(imageHits().map((hit) => hit.path)).toEqual([`/vi/${VIDEO_IDS.cipher}/hqdefault.jpg`]);

  const again = await fetch(thumbnailUrl(VIDEO_IDS.cipher));
  expect(again.status).toBe(200);
  expect(new Uint8Array(await again.arrayBuffer())).toEqual(bytes);
  expect(imageHits()).toHaveLength(1);
});

test("HEAD answers the headers of the matching GET without a body", async () => {
  const get = await fetch(thumbnailUrl(VIDEO_IDS.plain));
  const length = (await get.arrayBuffer()).byteLength;
  const head = await fetch(thumbnailUrl(VIDEO_IDS.plain), { method: "HEAD" });
  expect(head.status).toBe(200);
  expect(head.headers.get("content-type")).toBe("image/jpeg");
  expect(Number(head.headers.get("content-length"))).toBe(length);
  expect((await head.arrayBuffer()).byteLength).toBe(0);
});

test("a video YouTube does not know answers VIDEO_NOT_FOUND and asks the image host nothing", async () => {
  const answer = await fetch(thumbnailUrl(VIDEO_IDS.notFound));
  expect(answer.status).toBe(404);
  expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("VIDEO_NOT_FOUND");
  expect(imageHits()).toHaveLength(0);
});

test("anything but an 11-character id is refused before any request: the route is no proxy", async () => {
  for (const path of [
    "/thumbnail/https%3A%2F%2Fi.ytimg.com%2Fvi%2FPlain000001%2Fhqdefault.jpg",
    "/thumbnail/Plain00000",
    "/thumbnail/Plain0000001",
    "/thumbnail/Plain%2F00001",
  ]) {
    const answer = await fetch(new URL(path, stack.gateway.url));
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("BAD_USER_INPUT");
  }
  expect(stack.youtube.hits.all).toHaveLength(0);
});

test("other methods answer 405 with Allow", async () => {
  const answer = await fetch(thumbnailUrl(VIDEO_IDS.plain), { method: "POST" });
  expect(answer.status).toBe(405);
  expect(answer.headers.get("allow")).toBe("GET, HEAD");
});
