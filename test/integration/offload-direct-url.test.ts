import { afterAll, beforeAll, expect, test } from "bun:test";
import { type MediaOrigin, startMediaOrigin } from "../support/media-origin.ts";
import {
  type OffloadStack,
  OFFLOAD_STARTUP_MS as STARTUP_MS,
  startOffloadStack,
} from "../support/offload-stack.ts";

// Direct-URL downloads carried by nginx: the gateway locates the file (a HEAD through its pinned
// connector) once and remembers the checked address for five minutes, so later downloads of the
// same file reach nginx without an origin round trip first; a refusal makes it ask again.

/** How long a located address is remembered (the gateway's redirect memo TTL). */
const MEMO_TTL_MS = 5 * 60_000;

let origin: MediaOrigin;
let front: OffloadStack;
/** Added to the gateway's clock: the tests move it past the memo's TTL. */
let skewMs = 0;

beforeAll(async () => {
  origin = await startMediaOrigin({ address: "127.0.0.1", clipBytes: 400_000 });
  front = await startOffloadStack(
    {
      DOWNTUBE_HTTP_SOURCE_HOSTS: `127.0.0.1:${origin.port}`,
      DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: "127.0.0.1/32",
    },
    {},
    () => Date.now() + skewMs,
  );
}, STARTUP_MS);
afterAll(async () => {
  await front.stop();
  await origin.stop();
});

const sha256 = (bytes: ArrayBuffer | Uint8Array) =>
  new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

/** HEADs the origin has seen for `path` (the metadata probe's and `locate`'s). */
const headsOf = (path: string) =>
  origin.hits.filter((hit) => hit.method === "HEAD" && hit.path === path).length;

/** Downloads `url` through nginx and checks that nginx carried the right bytes. */
async function downloadWhole(url: string): Promise<void> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-length")).toBe(String(origin.clip.length));
  expect(sha256(await response.arrayBuffer())).toBe(sha256(origin.clip));
  // No byte through the gateway: its answer was the redirect, and nginx fetched the file.
  expect(front.gatewayDownloadBytes().at(-1)).toBe(0);
}

test("two offloaded downloads of one direct URL send the origin one HEAD between them, not two", async () => {
  const ticket = await front.prepare({ url: `${origin.origin}/clip.mp4` });
  const before = headsOf("/clip.mp4");
  await downloadWhole(ticket.url);
  await downloadWhole(ticket.url);
  expect(headsOf("/clip.mp4") - before).toBe(1);
  // nginx fetched both in ranged slices from the address the gateway checked.
  const gets = origin.hits.filter((hit) => hit.method === "GET" && hit.path === "/clip.mp4");
  expect(gets.length).toBeGreaterThanOrEqual(2);
  expect(gets.every((hit) => hit.range !== undefined)).toBe(true);
});

test("a remembered location is asked again once its five minutes are over", async () => {
  const url = `${origin.origin}/clip.mp4`;
  await downloadWhole((await front.prepare({ url })).url);
  skewMs += MEMO_TTL_MS - 1000;
  const within = await front.prepare({ url });
  let before = headsOf("/clip.mp4");
  await downloadWhole(within.url);
  expect(headsOf("/clip.mp4") - before).toBe(0);
  skewMs += 2000;
  // A new ticket (and metadata cached anew, if it too expired) before the download is counted.
  const after = await front.prepare({ url });
  before = headsOf("/clip.mp4");
  await downloadWhole(after.url);
  expect(headsOf("/clip.mp4") - before).toBe(1);
});

test("after the origin refuses a remembered location, the refresh locates the file again and the download completes", async () => {
  const ticket = await front.prepare({ url: `${origin.origin}/moving.mp4` });
  await downloadWhole(ticket.url);
  expect(origin.hits.some((hit) => hit.method === "GET" && hit.path === "/at/1/clip.mp4")).toBe(true);
  // Same bytes, same ETag, same size, new place: only the origin's 403 can tell the memo is stale.
  origin.move();
  const before = front.gatewayDownloadBytes().length;
  await downloadWhole(ticket.url);
  // nginx was refused at the remembered place, went back to the gateway, and was sent to the new one.
  expect(origin.hits.some((hit) => hit.method === "GET" && hit.path === "/at/1/clip.mp4")).toBe(true);
  expect(origin.hits.some((hit) => hit.method === "GET" && hit.path === "/at/2/clip.mp4")).toBe(true);
  expect(front.gatewayDownloadBytes().slice(before)).toEqual([0, 0]);
});

test("a file gone from its remembered place and from the URL ends as a clean JSON error after one refresh", async () => {
  const ticket = await front.prepare({ url: `${origin.origin}/moving.mp4` });
  await downloadWhole(ticket.url);
  origin.remove();
  const response = await fetch(ticket.url);
  // The refresh probes the URL again, and the origin's 404 is the error, as without offload.
  expect(response.status).toBe(404);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  expect(response.headers.get("content-disposition")).toBeNull();
  expect(await response.json()).toMatchObject({ error: { code: "VIDEO_NOT_FOUND" } });
});
