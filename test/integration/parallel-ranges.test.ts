import { afterEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { MediaUrlExpiredError, UpstreamError } from "../../src/core/errors.ts";
import { createOriginConnections } from "../../src/sources/origin-connections.ts";
import { openRanged, type RangedFetchOptions } from "../../src/sources/ranged-fetch.ts";
import { type RangedOrigin, type RangedOriginOptions, startRangedOrigin } from "../support/ranged-origin.ts";

// The source layer's ranged reads against a real origin on loopback: several ranges in flight,
// delivered in order, bounded by what the client takes, cancelled together, retried once.

const KiB = 1024;
const CHUNK = 64 * KiB;

let origin: RangedOrigin | undefined;
afterEach(async () => {
  await origin?.stop();
  origin = undefined;
});

async function startOrigin(options: RangedOriginOptions): Promise<RangedOrigin> {
  origin = await startRangedOrigin(options);
  return origin;
}

/** openRanged on the origin's file, `ranges` in flight, with its own connection cap unless given. */
function open(on: RangedOrigin, ranges: number, more: Partial<RangedFetchOptions> = {}) {
  return openRanged({
    fetch: (url, init) => fetch(url, init),
    timeoutMs: 5000,
    url: on.url,
    range: { start: 0, end: on.file.length - 1 },
    chunkBytes: CHUNK,
    signal: new AbortController().signal,
    parallel: { ranges, connections: createOriginConnections({ maxPerEgress: 64 }) },
    ...more,
  });
}

async function bytesOf(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) parts.push(read.value);
  return Buffer.concat(parts);
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("parallel ranged reads", () => {
  test("deliver the file in order, asking each range exactly once, several at a time", async () => {
    const on = await startOrigin({ bytes: 40 * CHUNK + 123, firstByteDelayMs: 15, paceBytes: 16 * KiB });
    const body = await bytesOf(await open(on, 4));
    expect(sha256(body)).toBe(on.sha256);
    expect(on.maxOpen).toBeGreaterThan(1);
    expect(on.maxOpen).toBeLessThanOrEqual(4);
    const asked = on.hits.map((h) => [h.start, h.end]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    const expected = Array.from({ length: 41 }, (_, i) => [
      i * CHUNK,
      Math.min((i + 1) * CHUNK, on.file.length) - 1,
    ]);
    expect(asked).toEqual(expected);
  });

  test("deliver exactly a range that starts and ends inside ranges", async () => {
    const on = await startOrigin({ bytes: 10 * CHUNK, firstByteDelayMs: 5 });
    const range = { start: 1000, end: 7 * CHUNK + 99 };
    const body = await bytesOf(await open(on, 4, { range }));
    expect(body.equals(on.file.subarray(range.start, range.end + 1))).toBe(true);
    expect(Math.min(...on.hits.map((h) => h.start))).toBe(range.start);
    expect(Math.max(...on.hits.map((h) => h.end))).toBe(range.end);
  });

  test("with one range in flight ask one range after another, never two at once", async () => {
    const on = await startOrigin({ bytes: 12 * CHUNK, firstByteDelayMs: 5, paceBytes: 16 * KiB });
    const body = await bytesOf(await open(on, 1));
    expect(sha256(body)).toBe(on.sha256);
    expect(on.maxOpen).toBe(1);
    expect(on.hits.length).toBe(12);
  });

  test("ask no more ranges while the client reads nothing", async () => {
    const on = await startOrigin({ bytes: 64 * CHUNK, firstByteDelayMs: 5, paceBytes: 16 * KiB });
    const reader = (await open(on, 4)).getReader();
    let delivered = 0;
    // Reads a few ranges' worth, fast, so the reads could have spread over several ranges ...
    while (delivered < 6 * CHUNK) delivered += (await reader.read()).value?.byteLength ?? 0;
    // ... then stops reading: once every open request has been answered, none may follow.
    await on.until((o) => o.open === 0);
    const taken = Math.ceil(delivered / CHUNK);
    expect(on.hits.length).toBeLessThanOrEqual(taken + 4);
    expect(on.hits.length).toBeLessThan(64);
    await reader.cancel();
  });

  test("abort every request in flight at once when the client leaves", async () => {
    const on = await startOrigin({ bytes: 64 * CHUNK, firstByteDelayMs: 10, paceBytes: 4 * KiB });
    const client = new AbortController();
    const reader = (await open(on, 4, { signal: client.signal })).getReader();
    const reading = (async () => {
      for (;;) if ((await reader.read()).done) return;
    })().catch(() => undefined); // the abort ends it
    await on.until((o) => o.open >= 2);
    const asked = on.hits.length;
    client.abort(new Error("the client left"));
    await on.until((o) => o.open === 0);
    await reading;
    expect(on.abandoned).toBeGreaterThanOrEqual(2);
    expect(on.hits.length).toBeLessThanOrEqual(asked + 4);
  });

  test("ask a range that broke off once more for what is missing, and deliver every byte", async () => {
    const on = await startOrigin({ bytes: 8 * CHUNK, firstByteDelayMs: 5 });
    on.fail(4 * CHUNK - 1, "cut");
    const body = await bytesOf(await open(on, 4));
    expect(sha256(body)).toBe(on.sha256);
    const third = on.hits.filter((h) => h.end === 4 * CHUNK - 1);
    expect(third.map((h) => h.start)).toEqual([3 * CHUNK, 3 * CHUNK + CHUNK / 2]);
  });

  test("cut the download when a range fails twice, after asking it exactly twice", async () => {
    const on = await startOrigin({ bytes: 8 * CHUNK, firstByteDelayMs: 5 });
    on.fail(3 * CHUNK - 1, "cut", "cut");
    const failure = await bytesOf(await open(on, 4)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(on.hits.filter((h) => h.end === 3 * CHUNK - 1).length).toBe(2);
    await on.until((o) => o.open === 0);
  });

  test("continue at a refreshed URL when the origin refuses the old one mid-download", async () => {
    const on = await startOrigin({ bytes: 8 * CHUNK, firstByteDelayMs: 5 });
    on.fail(6 * CHUNK - 1, "refuse");
    let refreshes = 0;
    const refresh = async () => {
      refreshes++;
      return on.url.replace("/file", "/fresh/file");
    };
    const body = await bytesOf(await open(on, 4, { refresh }));
    expect(sha256(body)).toBe(on.sha256);
    expect(refreshes).toBe(1);
    expect(on.hits.some((h) => h.path === "/fresh/file" && h.start === 5 * CHUNK)).toBe(true);
  });

  test("leave a refusal before the first byte to the caller, as an expired URL", async () => {
    const on = await startOrigin({ bytes: 4 * CHUNK });
    on.fail(CHUNK - 1, "refuse");
    let refreshes = 0;
    const opened = open(on, 4, { refresh: async () => `${refreshes++}` });
    await expect(opened).rejects.toBeInstanceOf(MediaUrlExpiredError);
    expect(refreshes).toBe(0);
    expect(on.hits.length).toBe(1);
  });

  test("keep every download together within the per-egress connection cap", async () => {
    const on = await startOrigin({ bytes: 24 * CHUNK, firstByteDelayMs: 10, paceBytes: 16 * KiB });
    const connections = createOriginConnections({ maxPerEgress: 2 });
    const parallel = { ranges: 4, connections };
    const bodies = await Promise.all([1, 2, 3].map(async () => bytesOf(await open(on, 4, { parallel }))));
    for (const body of bodies) expect(sha256(body)).toBe(on.sha256);
    expect(on.maxOpen).toBeLessThanOrEqual(2);
    expect(connections.inUse("default")).toBe(0);
  });
});
