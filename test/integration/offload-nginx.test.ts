import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { curlRun } from "../support/curl.ts";
import type { Ticket } from "../support/downloads.ts";
import { metric } from "../support/metrics.ts";
import {
  type OffloadStack,
  OFFLOAD_STARTUP_MS as STARTUP_MS,
  startOffloadStack,
} from "../support/offload-stack.ts";

// Downloads with DOWNTUBE_OFFLOAD=nginx behind a real Debian nginx: the gateway decides, nginx
// fetches the origin in 64 KiB slices (so the 336 kB test file takes six) and carries the bytes.

let front: OffloadStack;
let now = Date.now();
let dir: string;
beforeAll(async () => {
  front = await startOffloadStack({}, { trickle: { chunkBytes: 16 * 1024, intervalMs: 50 } }, () => now);
  dir = await mkdtemp(join(tmpdir(), "downtube-offload-"));
}, STARTUP_MS);
afterAll(async () => {
  await front.stop();
  await rm(dir, { recursive: true, force: true });
});

const mediaHits = () => front.stack.youtube.hits.filter("media").length;
const plainFile = () => {
  const file = front.stack.youtube.media.get(18);
  if (file === undefined) throw new Error("the simulated YouTube has no itag 18");
  return file;
};
const sha256 = (bytes: ArrayBuffer | Uint8Array) =>
  new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
const originBytes = async () => new Uint8Array(await Bun.file(plainFile().path).arrayBuffer());

/** Runs curl on `url` into a file of its own; its exit code, status, body size and the body. */
async function curl(url: string, ...args: string[]) {
  const out = join(dir, `curl-${crypto.randomUUID()}`);
  const { code, status, received } = await curlRun(["-o", out, ...args, url]);
  return { code, status, size: received, body: Bun.file(out) };
}

async function expectJsonError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  expect(response.headers.get("content-disposition")).toBeNull();
  expect(await response.json()).toMatchObject({ error: { code } });
}

describe("a file download carried by nginx", () => {
  let ticket: Ticket;
  beforeAll(async () => {
    ticket = await front.prepare({ url: VIDEO_IDS.plain });
    expect(new URL(ticket.url).host).toBe(front.nginx.url.host);
  });

  test("arrives whole (sha256) with the exact Content-Length and the gateway's headers, through curl", async () => {
    const before = mediaHits();
    const result = await curl(ticket.url, "-D", join(dir, "headers"));
    expect(result.code).toBe(0);
    expect(result.status).toBe(200);
    expect(sha256(await result.body.bytes())).toBe(sha256(await originBytes()));
    // The gateway answered with a redirect and no byte of the file: nginx carried it.
    expect(front.gatewayDownloadBytes().at(-1)).toBe(0);
    const nginxRequests = front.stack.youtube.hits.filter("media").slice(before);
    expect(nginxRequests.at(-1)?.headers["user-agent"]).toBeUndefined();
    // Fetched by nginx in 64 KiB slices, not in one request (the gateway's own probe adds one).
    expect(mediaHits() - before).toBeGreaterThanOrEqual(Math.ceil(plainFile().size / 65536));
    const headers = await Bun.file(join(dir, "headers")).text();
    expect(headers).toMatch(new RegExp(`^content-length: ${plainFile().size}\\r$`, "im"));
    expect(headers).not.toMatch(/^transfer-encoding:/im);
  });

  test("/metrics and the access log count a download handed to nginx as offloaded, not as a stream of 0 bytes", async () => {
    const sample = (name: string) => metric(front.stack, name);
    const names = [
      "downtube_offloaded_downloads_total",
      "downtube_bytes_streamed_total",
      "downtube_download_time_to_first_byte_seconds_count",
    ];
    const [offloaded = 0, bytes, firstBytes] = await Promise.all(names.map(sample));
    expect((await (await fetch(ticket.url)).arrayBuffer()).byteLength).toBe(plainFile().size);
    expect(await Promise.all(names.map(sample))).toEqual([offloaded + 1, bytes, firstBytes] as number[]);
    expect(await sample("downtube_active_streams")).toBe(0);
    const logged = front.stack.logs
      .map((line) => JSON.parse(line) as { message?: string; route?: string })
      .findLast((entry) => entry.message === "request" && entry.route === "/download/:token");
    expect(logged).toMatchObject({ status: 200, bytes: 0, offloaded: true });
  });

  test("the gateway's redirect answer is a complete empty body, so nginx keeps its connection to the gateway", async () => {
    // nginx reuses an upstream connection after an X-Accel-Redirect only when the answer's body
    // is known to be complete without reading it: Content-Length 0, not an (empty) chunked body.
    const direct = new URL(new URL(ticket.url).pathname, front.stack.gateway.url).href;
    const result = await curl(direct, "-D", join(dir, "redirect-headers"));
    expect(result.status).toBe(200);
    const headers = await Bun.file(join(dir, "redirect-headers")).text();
    expect(headers).toMatch(/^x-accel-redirect: \/_downtube\/fetch\//im);
    expect(headers).toMatch(/^content-length: 0\r$/im);
    expect(headers).not.toMatch(/^transfer-encoding:/im);
    expect(result.size).toBe(0);
  });

  test("answers GET with the same headers as HEAD, each once, none of the origin's", async () => {
    const head = await fetch(ticket.url, { method: "HEAD" });
    const get = await fetch(ticket.url);
    await get.arrayBuffer();
    expect(get.status).toBe(200);
    for (const name of [
      "content-type",
      "content-disposition",
      "etag",
      "cache-control",
      "accept-ranges",
      "content-length",
    ]) {
      expect({ name, value: get.headers.get(name) }).toEqual({ name, value: head.headers.get(name) });
    }
    expect(get.headers.get("etag")).toBe(`"youtube-${VIDEO_IDS.plain}-18-${plainFile().size}"`);
    expect(get.headers.get("content-disposition")).toStartWith("attachment; filename=");
    expect(get.headers.get("last-modified")).toBeNull();
    expect(get.headers.get("x-accel-redirect")).toBeNull();
  });

  test("HEAD is answered by the gateway alone: headers of the GET, no byte asked of the origin", async () => {
    const before = mediaHits();
    const head = await fetch(ticket.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(plainFile().size));
    expect(head.headers.get("content-type")).toBe("video/mp4");
    expect(mediaHits()).toBe(before);
  });

  test("answers a range across slice boundaries with 206 and exactly those bytes", async () => {
    const origin = await originBytes();
    for (const [range, start, end] of [
      ["bytes=65000-140000", 65000, 140000],
      ["bytes=-1000", origin.length - 1000, origin.length - 1],
      [`bytes=300000-`, 300000, origin.length - 1],
    ] as const) {
      const response = await fetch(ticket.url, { headers: { Range: range } });
      expect(response.status).toBe(206);
      expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/${origin.length}`);
      expect(response.headers.get("content-length")).toBe(String(end - start + 1));
      expect(sha256(await response.arrayBuffer())).toBe(sha256(origin.subarray(start, end + 1)));
    }
  });

  test("answers 416 for a range past the end, without asking the origin", async () => {
    const before = mediaHits();
    const response = await fetch(ticket.url, { headers: { Range: `bytes=${plainFile().size}-` } });
    expect(response.headers.get("content-range")).toBe(`bytes */${plainFile().size}`);
    await expectJsonError(response, 416, "RANGE_NOT_SATISFIABLE");
    expect(mediaHits()).toBe(before);
  });

  test("serves the whole file when If-Range names another version", async () => {
    const response = await fetch(ticket.url, { headers: { Range: "bytes=0-9", "If-Range": '"other"' } });
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(plainFile().size);
  });
});

describe("what nginx never does on a client's word", () => {
  test("a hostile token is refused by the gateway and nginx never contacts the origin", async () => {
    const ticket = await front.prepare({ url: VIDEO_IDS.plain });
    const before = mediaHits();
    const [head = "", payload = "", signature = ""] = ticket.token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const otherVideo = Buffer.from(JSON.stringify({ ...claims, videoId: VIDEO_IDS.cipher })).toString(
      "base64url",
    );
    for (const token of [
      `${head}.${payload}.forged-signature`,
      `${head}.${otherVideo}.${signature}`,
      "not-a-token",
    ]) {
      const response = await fetch(new URL(`/download/${encodeURIComponent(token)}`, front.nginx.url));
      await expectJsonError(response, 401, "TOKEN_INVALID");
    }
    expect(mediaHits()).toBe(before);
  });

  test("an expired token is refused with 410 and nginx never contacts the origin", async () => {
    const ticket = await front.prepare({ url: VIDEO_IDS.plain, expiresIn: 60 });
    const before = mediaHits();
    now += 120_000;
    await expectJsonError(await fetch(ticket.url), 410, "TOKEN_EXPIRED");
    expect(mediaHits()).toBe(before);
  });

  test("a used-up token (maxUses) is refused before nginx is handed the download", async () => {
    const ticket = await front.prepare({ url: VIDEO_IDS.plain, maxUses: 1 });
    expect((await (await fetch(ticket.url)).arrayBuffer()).byteLength).toBe(plainFile().size);
    const before = mediaHits();
    await expectJsonError(await fetch(ticket.url), 410, "TOKEN_USED");
    expect(mediaHits()).toBe(before);
  });

  /** A client key of the shape the gateway writes into its internal URIs. */
  const CLIENT = "AAAAAAAAAAAAAAAAAAAAAA";

  test("the internal locations answer 404 from outside and reach nothing", async () => {
    const ticket = await front.prepare({ url: VIDEO_IDS.plain });
    const origin = new URL(front.stack.youtube.origin);
    const before = mediaHits();
    for (const path of [
      `/_downtube/fetch/${CLIENT}/http/${origin.host}/${origin.host}/x/videoplayback?id=${VIDEO_IDS.plain}&itag=18`,
      `/_downtube/refetch/${CLIENT}/http/${origin.host}/${origin.host}/x/videoplayback`,
      `/_downtube/refresh/download/${ticket.token}`,
      "/_downtube/",
    ]) {
      await expectJsonError(await fetch(new URL(path, front.nginx.url)), 404, "NOT_FOUND");
    }
    expect(mediaHits()).toBe(before);
  });

  test("a client's X-Accel-Redirect request header changes nothing", async () => {
    const response = await fetch(new URL("/healthz", front.nginx.url), {
      headers: { "X-Accel-Redirect": `/_downtube/fetch/${CLIENT}/http/127.0.0.1:1/127.0.0.1/x/` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

describe("origin failures behind nginx", () => {
  test("media answered 503 before the first byte: 502 UPSTREAM_ERROR, never a 200", async () => {
    const ticket = await front.prepare({ url: VIDEO_IDS.mediaUnavailable });
    await expectJsonError(await fetch(ticket.url), 502, "UPSTREAM_ERROR");
  });

  test("a client that goes away makes nginx close the origin request", async () => {
    const ticket = await front.prepare({ url: VIDEO_IDS.mediaTrickle });
    const aborted = front.stack.youtube.hits.onMediaAborted(VIDEO_IDS.mediaTrickle);
    const controller = new AbortController();
    const response = await fetch(ticket.url, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    controller.abort();
    const hit = await aborted;
    expect(hit.aborted).toBe(true);
  });
});
