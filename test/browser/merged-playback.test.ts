/**
 * A merged INLINE mp4 (1080p H.264 video-only + AAC audio-only, remuxed by the gateway's ffmpeg
 * while it streams) plays in a real `<video>` element in Debian's Chromium, fenced to loopback
 * (see `test/support/browser.ts`), and seeks within what has arrived. A merge has no Range, so
 * the browser reads it as one 200 answer from start to end.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page, Response } from "playwright-core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { MEDIA_FORMATS } from "../../fake-youtube/media.ts";
import { BROWSER_TIMEOUT_MS, type FencedBrowser, launchFencedBrowser } from "../support/browser.ts";
import { prepareDownload, type Ticket } from "../support/downloads.ts";
import { type Stack, startStack } from "../support/stack.ts";

/** Where the test seeks to, once the player has buffered past it. */
const SEEK_TO_SECONDS = 4;
/** Decoders land on a frame boundary. */
const TOLERANCE_SECONDS = 0.5;
/** The merge's codecs, as a player is asked whether it plays them. */
const MERGED_TYPE = 'video/mp4; codecs="avc1.640028, mp4a.40.2"';

let stack: Stack;
let fenced: FencedBrowser;
let page: Page;
let ticket: Ticket;
const pageErrors: string[] = [];
const responses: Response[] = [];

beforeAll(async () => {
  stack = await startStack();
  fenced = await launchFencedBrowser();
  page = await fenced.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("response", (response) => responses.push(response));
  ticket = await prepareDownload(stack, {
    url: VIDEO_IDS.plain,
    format: { kind: "MERGED", container: "mp4" },
    disposition: "INLINE",
  });
}, BROWSER_TIMEOUT_MS);

afterAll(async () => {
  await fenced?.close();
  await stack?.stop();
});

/** The `<video>` element's state, as the tests read it. */
function playerState() {
  return page.evaluate(() => {
    const video = document.getElementById("player") as HTMLVideoElement & {
      webkitAudioDecodedByteCount?: number;
    };
    return {
      error: video.error?.message ?? null,
      width: video.videoWidth,
      height: video.videoHeight,
      currentTime: video.currentTime,
      seekedAt: video.dataset.seekedAt === undefined ? undefined : Number(video.dataset.seekedAt),
      // Chromium counts the audio it decoded: the sound track plays too, not only the picture.
      audioBytes: video.webkitAudioDecodedByteCount ?? 0,
    };
  });
}

/** Starts muted playback; resolves once a frame is shown past 0 or the element failed. */
async function playUntilMoving(): Promise<void> {
  await page.evaluate(() => (document.getElementById("player") as HTMLVideoElement).play());
  await page.waitForFunction(() => {
    const video = document.getElementById("player") as HTMLVideoElement;
    return video.error !== null || (video.readyState >= 2 && video.currentTime > 0);
  });
}

test(
  "a <video> given the merged INLINE URL plays it with picture and sound",
  async () => {
    expect(
      await page.evaluate((type) => document.createElement("video").canPlayType(type), MERGED_TYPE),
    ).not.toBe("");
    await page.setContent(`<!doctype html><meta charset="utf-8"><title>downtube merged playback</title>
      <video id="player" src="${ticket.url}" muted playsinline preload="auto" width="640"></video>`);
    await playUntilMoving();
    await page.waitForFunction(
      () =>
        (document.getElementById("player") as HTMLVideoElement & { webkitAudioDecodedByteCount: number })
          .webkitAudioDecodedByteCount > 0,
    );
    const state = await playerState();
    expect(state.error).toBeNull();
    expect<{ width?: number; height?: number }>({ width: state.width, height: state.height }).toEqual({
      width: MEDIA_FORMATS[137].width,
      height: MEDIA_FORMATS[137].height,
    });
    expect(pageErrors).toEqual([]);
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "fed to Media Source Extensions as it arrives, it plays and seeks within what has arrived",
  async () => {
    // A merge has no Range, and Chromium does not seek a plain <video> whose source cannot be
    // read from the middle; a player that buffers the stream itself (MSE, as web players do) can.
    // MSE takes only fragmented MP4 with its moov first: what the merge is made to be.
    const merge = await prepareDownload(stack, {
      url: VIDEO_IDS.plain,
      format: { kind: "MERGED", container: "mp4" },
      disposition: "INLINE",
    });
    await page.goto(new URL("/healthz", stack.gateway.url).href); // same origin as the download
    await page.setContent(`<!doctype html><meta charset="utf-8"><title>downtube merged playback (MSE)</title>
      <video id="player" muted playsinline width="640"></video>`);
    await page.evaluate(
      async ({ url, type }) => {
        const video = document.getElementById("player") as HTMLVideoElement;
        const source = new MediaSource();
        video.src = URL.createObjectURL(source);
        await new Promise((resolve) => source.addEventListener("sourceopen", resolve, { once: true }));
        const buffer = source.addSourceBuffer(type);
        const response = await fetch(url);
        const reader = (response.body as ReadableStream<Uint8Array<ArrayBuffer>>).getReader();
        void (async () => {
          for (let read = await reader.read(); !read.done; read = await reader.read()) {
            buffer.appendBuffer(read.value);
            await new Promise((resolve) => buffer.addEventListener("updateend", resolve, { once: true }));
          }
          source.endOfStream();
        })();
      },
      { url: merge.url, type: MERGED_TYPE },
    );
    await playUntilMoving();
    await page.waitForFunction((to) => {
      const { buffered, error } = document.getElementById("player") as HTMLVideoElement;
      return error !== null || (buffered.length > 0 && buffered.end(buffered.length - 1) > to + 0.5);
    }, SEEK_TO_SECONDS);
    await page.evaluate((to) => {
      const video = document.getElementById("player") as HTMLVideoElement;
      video.pause();
      video.addEventListener("seeked", () => (video.dataset.seekedAt = String(video.currentTime)), {
        once: true,
      });
      video.currentTime = to;
    }, SEEK_TO_SECONDS);
    await page.waitForFunction(() => {
      const video = document.getElementById("player") as HTMLVideoElement;
      return video.error !== null || (video.dataset.seekedAt !== undefined && video.readyState >= 2);
    });
    const state = await playerState();
    expect(state.error).toBeNull();
    expect(Math.abs((state.seekedAt ?? -1) - SEEK_TO_SECONDS)).toBeLessThanOrEqual(TOLERANCE_SECONDS);
    expect(state.width).toBe(MEDIA_FORMATS[137].width ?? -1);
    expect(state.audioBytes).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  },
  BROWSER_TIMEOUT_MS,
);

test("the browser read each merge as one 200 answer, without Range, and asked nothing beyond loopback", () => {
  const downloads = responses.filter((r) => new URL(r.url()).pathname.startsWith("/download/"));
  expect(downloads.map((r) => r.status())).toEqual([200, 200]);
  for (const response of downloads) expect(response.headers()["accept-ranges"]).toBeUndefined();
  expect(fenced.blocked).toEqual([]);
});
