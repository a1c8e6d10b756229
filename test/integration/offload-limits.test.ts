import { afterAll, beforeAll, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import {
  type OffloadStack,
  OFFLOAD_STARTUP_MS as STARTUP_MS,
  startOffloadStack,
} from "../support/offload-stack.ts";

// DOWNTUBE_MAX_STREAMS and DOWNTUBE_MAX_STREAMS_PER_CLIENT with DOWNTUBE_OFFLOAD=nginx: the
// gateway's own slots end at its redirect, so nginx counts the downloads it carries, per client
// as the gateway names it (an API key, else the address), and answers as the gateway would.

const KEY_A = "offload-key-a-0123456789abcdef";
const KEY_B = "offload-key-b-0123456789abcdef";

let front: OffloadStack;
beforeAll(async () => {
  front = await startOffloadStack(
    {
      DOWNTUBE_MAX_STREAMS_PER_CLIENT: "1",
      DOWNTUBE_MAX_STREAMS: "2",
      DOWNTUBE_API_KEYS: `${KEY_A},${KEY_B}`,
    },
    // About a second per download: long enough to hold a stream open while others are asked for.
    { trickle: { chunkBytes: 16 * 1024, intervalMs: 50 } },
  );
}, STARTUP_MS);
afterAll(() => front.stop());

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const slowDownload = async (key: string) =>
  (await front.prepare({ url: VIDEO_IDS.mediaTrickle }, bearer(key))).url;

async function expectTooManyStreams(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  expect(response.headers.get("retry-after")).toBe("5");
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("content-disposition")).toBeNull();
  const body = (await response.json()) as { error: { code: string } };
  expect(body.error.code).toBe("TOO_MANY_STREAMS");
}

test("a client gets one download from nginx at a time; the next is a 503 before nginx asks the origin, and a slot is free again once it ends", async () => {
  const url = await slowDownload(KEY_A);
  const running = await fetch(url, { headers: bearer(KEY_A) });
  expect(running.status).toBe(200);
  // The gateway answered with a redirect: the bytes come from nginx.
  expect(front.gatewayDownloadBytes().at(-1)).toBe(0);

  const mediaRequests = front.stack.youtube.hits.filter("media").length;
  await expectTooManyStreams(await fetch(url, { headers: bearer(KEY_A) }));
  const file = front.stack.youtube.media.get(18);
  expect((await running.arrayBuffer()).byteLength).toBe(file?.size ?? -1);
  // The running download's slices are all the origin saw: none for the refused one.
  const slices = Math.ceil((file?.size ?? 0) / 65536);
  expect(front.stack.youtube.hits.filter("media").length - mediaRequests).toBeLessThanOrEqual(slices);

  const after = await fetch(url, { headers: bearer(KEY_A) });
  expect(after.status).toBe(200);
  expect((await after.arrayBuffer()).byteLength).toBe(file?.size ?? -1);
});

test("nginx carries at most DOWNTUBE_MAX_STREAMS downloads at once, whoever asks", async () => {
  const [a, b] = await Promise.all([slowDownload(KEY_A), slowDownload(KEY_B)]);
  const first = await fetch(a ?? "", { headers: bearer(KEY_A) });
  const second = await fetch(b ?? "", { headers: bearer(KEY_B) });
  expect([first.status, second.status]).toEqual([200, 200]);
  // A third client, by its address this time, finds nginx full.
  await expectTooManyStreams(await fetch(a ?? ""));
  await Promise.all([first.arrayBuffer(), second.arrayBuffer()]);
  const later = await fetch(a ?? "");
  expect(later.status).toBe(200);
  await later.arrayBuffer();
});

test("a client that goes away gives its slot back", async () => {
  const url = await slowDownload(KEY_B);
  const aborted = front.stack.youtube.hits.onMediaAborted(VIDEO_IDS.mediaTrickle);
  const controller = new AbortController();
  const gone = await fetch(url, { headers: bearer(KEY_B), signal: controller.signal });
  expect(gone.status).toBe(200);
  expect((await gone.body?.getReader().read())?.done).toBe(false);
  controller.abort();
  await aborted;
  const again = await fetch(url, { headers: bearer(KEY_B) });
  expect(again.status).toBe(200);
  await again.arrayBuffer();
});
