import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import type { MediaFile, MediaItag } from "../../fake-youtube/media.ts";
import { prepareDownload } from "../support/downloads.ts";
import { type Stack, startStack } from "../support/stack.ts";

/** Small upstream chunks: every file takes several ranged requests to the origin. */
const CHUNK = 65_536;
const ITAGS: readonly MediaItag[] = [18, 137, 248, 140, 251];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ DOWNTUBE_UPSTREAM_CHUNK_BYTES: String(CHUNK) });
});
afterAll(() => stack.stop());

async function downloadUrl(videoId: string, itag: number): Promise<string> {
  return (await prepareDownload(stack, { url: videoId, format: { itag } })).url;
}

function fileOf(itag: number): MediaFile {
  const file = stack.youtube.media.get(itag as MediaItag);
  if (file === undefined) throw new Error(`the origin serves no itag ${itag}`);
  return file;
}

const originBytes = async (itag: number) => new Uint8Array(await Bun.file(fileOf(itag).path).arrayBuffer());
const sha256 = (bytes: Uint8Array | ArrayBuffer) =>
  new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

/** Runs `action` and returns what it returned plus the media requests the origin saw meanwhile. */
async function withMediaHits<T>(action: () => Promise<T>) {
  const before = stack.youtube.hits.count("media");
  const result = await action();
  return { result, mediaHits: stack.youtube.hits.filter("media").slice(before) };
}

/** Bytes asked of the origin by one ranged media request. */
function rangeSize(hit: { headers: Readonly<Record<string, string>> }): number {
  const match = /^bytes=(\d+)-(\d+)$/.exec(hit.headers.range ?? "");
  if (match === null) throw new Error(`unranged media request: ${hit.headers.range}`);
  return Number(match[2]) - Number(match[1]) + 1;
}

describe("downloaded bytes", () => {
  for (const videoId of [VIDEO_IDS.plain, VIDEO_IDS.cipher]) {
    for (const itag of ITAGS) {
      test(`are exactly the origin's file for itag ${itag} of ${videoId}, fetched in several ranged requests`, async () => {
        const url = await downloadUrl(videoId, itag);
        const file = fileOf(itag);
        const { result: body, mediaHits } = await withMediaHits(async () => {
          const response = await fetch(url);
          expect(response.status).toBe(200);
          expect(response.headers.get("content-length")).toBe(String(file.size));
          return response.arrayBuffer();
        });
        expect(body.byteLength).toBe(file.size);
        expect(sha256(body)).toBe(sha256(await originBytes(itag)));
        expect(mediaHits.length).toBeGreaterThan(1);
        expect(mediaHits.length).toBeGreaterThanOrEqual(Math.ceil(file.size / CHUNK));
        for (const hit of mediaHits) {
          expect(hit.status).toBe(206);
          expect(rangeSize(hit)).toBeLessThanOrEqual(CHUNK);
        }
      });
    }
  }
});

describe("download headers", () => {
  test("name the format's media type, exact length, ranges, a strong ETag, private caching and both filenames", async () => {
    for (const itag of ITAGS) {
      const file = fileOf(itag);
      const response = await fetch(await downloadUrl(VIDEO_IDS.plain, itag));
      await response.arrayBuffer();
      const essence = (response.headers.get("content-type") ?? "").split(";")[0]?.trim();
      expect(essence).toBe(file.contentType);
      expect(response.headers.get("content-length")).toBe(String(file.size));
      expect(response.headers.get("accept-ranges")).toBe("bytes");
      const etag = response.headers.get("etag") ?? "";
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(etag.startsWith("W/")).toBe(false);
      expect(response.headers.get("cache-control")).toContain("private");
      const disposition = response.headers.get("content-disposition") ?? "";
      expect(disposition).toMatch(/^attachment; /);
      expect(disposition).toMatch(/; filename="[\x20-\x7e]+"/);
      expect(disposition).toMatch(/; filename\*=UTF-8''[A-Za-z0-9%!#$&+.^_`|~-]+$/);
    }
  });

  test("give each format its own ETag", async () => {
    const etags = new Set<string | null>();
    for (const itag of ITAGS) {
      const response = await fetch(await downloadUrl(VIDEO_IDS.plain, itag), { method: "HEAD" });
      etags.add(response.headers.get("etag"));
    }
    expect(etags.size).toBe(ITAGS.length);
  });
});

describe("Range requests", () => {
  const itag = 137;

  async function ranged(range: string, extra: Record<string, string> = {}) {
    const response = await fetch(await downloadUrl(VIDEO_IDS.plain, itag), {
      headers: { Range: range, ...extra },
    });
    return { response, body: new Uint8Array(await response.arrayBuffer()) };
  }

  async function expectPartial(range: string, start: number, end: number) {
    const file = fileOf(itag);
    const origin = await originBytes(itag);
    const { response, body } = await ranged(range);
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/${file.size}`);
    expect(response.headers.get("content-length")).toBe(String(end - start + 1));
    expect(body.byteLength).toBe(end - start + 1);
    expect(sha256(body)).toBe(sha256(origin.subarray(start, end + 1)));
  }

  test("answers bytes=a-b with 206 and exactly that slice", async () => {
    await expectPartial("bytes=100-1099", 100, 1099);
  });

  test("answers bytes=a- with 206 and the rest of the file", async () => {
    const size = fileOf(itag).size;
    await expectPartial(`bytes=${size - 5000}-`, size - 5000, size - 1);
  });

  test("answers bytes=-n with 206 and the last n bytes", async () => {
    const size = fileOf(itag).size;
    await expectPartial("bytes=-777", size - 777, size - 1);
  });

  test("clamps a range whose end is past the end of the file", async () => {
    const size = fileOf(itag).size;
    await expectPartial(`bytes=${size - 10}-${size + 10_000}`, size - 10, size - 1);
  });

  test("stitches a range that spans several upstream chunks", async () => {
    const start = CHUNK - 123;
    const end = start + 2 * CHUNK + 456;
    const { mediaHits } = await withMediaHits(() => expectPartial(`bytes=${start}-${end}`, start, end));
    expect(mediaHits.length).toBeGreaterThanOrEqual(Math.ceil((end - start + 1) / CHUNK));
  });

  test("answers 416 with bytes */size for a range past the end", async () => {
    const size = fileOf(itag).size;
    for (const range of [`bytes=${size}-`, `bytes=${size + 100}-${size + 200}`]) {
      const { mediaHits, result } = await withMediaHits(() => ranged(range));
      expect(result.response.status).toBe(416);
      expect(result.response.headers.get("content-range")).toBe(`bytes */${size}`);
      expect(mediaHits).toHaveLength(0);
    }
  });

  test("honours If-Range with the current ETag and sends the whole file for another", async () => {
    const file = fileOf(itag);
    const head = await fetch(await downloadUrl(VIDEO_IDS.plain, itag), { method: "HEAD" });
    const etag = head.headers.get("etag") ?? "";
    expect(etag).not.toBe("");

    const matching = await ranged("bytes=0-99", { "If-Range": etag });
    expect(matching.response.status).toBe(206);
    expect(matching.body.byteLength).toBe(100);

    for (const other of ['"something-else"', `W/${etag}`]) {
      const stale = await ranged("bytes=0-99", { "If-Range": other });
      expect(stale.response.status).toBe(200);
      expect(stale.response.headers.get("content-range")).toBeNull();
      expect(stale.response.headers.get("content-length")).toBe(String(file.size));
      expect(sha256(stale.body)).toBe(sha256(await originBytes(itag)));
    }
  });
});

describe("HEAD", () => {
  const comparable = (headers: Headers) =>
    Object.fromEntries(
      [...headers].filter(([name]) => !["date", "keep-alive", "x-request-id"].includes(name)),
    );

  test("answers exactly the headers of GET, without a body and without asking the origin for media", async () => {
    for (const [itag, range] of [
      [18, undefined],
      [251, "bytes=10-20"],
      [140, "bytes=-50"],
    ] as const) {
      const url = await downloadUrl(VIDEO_IDS.plain, itag);
      const headers: Record<string, string> = range === undefined ? {} : { Range: range };
      const { result: head, mediaHits } = await withMediaHits(async () => {
        const response = await fetch(url, { method: "HEAD", headers });
        return { response, body: await response.arrayBuffer() };
      });
      const get = await fetch(url, { headers });
      await get.arrayBuffer();
      expect(head.response.status).toBe(get.status);
      expect(head.response.status).toBe(range === undefined ? 200 : 206);
      expect(comparable(head.response.headers)).toEqual(comparable(get.headers));
      expect(head.body.byteLength).toBe(0);
      expect(mediaHits).toHaveLength(0);
    }
  });

  test("answers 416 as GET would for a range past the end", async () => {
    const size = fileOf(18).size;
    const response = await fetch(await downloadUrl(VIDEO_IDS.plain, 18), {
      method: "HEAD",
      headers: { Range: `bytes=${size}-` },
    });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe(`bytes */${size}`);
  });
});
