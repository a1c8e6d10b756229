/**
 * An INLINE download plays in a real `<video>` element: Debian's Chromium (fenced to loopback, see
 * `test/support/browser.ts`) loads the gateway's `/download/:token` URL, plays it muted, seeks near
 * the end (which the media stack does with `Range` requests) and lands where it was asked to.
 *
 * The format is chosen at runtime by what this Chromium build decodes: itag 18 (H.264/AAC in mp4)
 * when it can, else itag 248 (VP9 in webm, video only), which every Chromium decodes. The choice is
 * printed and written on the page, so the screenshot says which one played.
 *
 * The tests share one page and run in order: play and seek, then the audits of what was fetched.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdir } from "node:fs/promises";
import type { Page, Response } from "playwright-core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { MEDIA_FORMATS, MEDIA_SECONDS, type MediaItag } from "../../fake-youtube/media.ts";
import { BROWSER_TIMEOUT_MS, type FencedBrowser, launchFencedBrowser } from "../support/browser.ts";
import { prepareDownload, type Ticket } from "../support/downloads.ts";
import { type Stack, startStack } from "../support/stack.ts";

const SCREENSHOT = new URL("../artifacts/video-playback.png", import.meta.url);
/** Where the test seeks to: near the end of the clip, past what a first read is likely to hold. */
const SEEK_TO_SECONDS = 4;
/** Decoders land on a frame boundary, and reported durations round differently per container. */
const TOLERANCE_SECONDS = 0.5;
/**
 * The simulated origin's pace for the trickle video: 20 KB/s. Over loopback the browser would have
 * the whole ~300 KB clip before the seek, and seek inside its cache without asking for anything;
 * at this pace the seek target is still far ahead of the first read, so the browser abandons it
 * and asks for a Range that starts there, as it does with real files on real links. The first
 * read takes some 17 s to finish: at 40 KB/s (8 s) a Chromium slowed down by a busy machine once
 * started playing only after all of it had arrived, and then seeked without a request.
 */
const TRICKLE = { chunkBytes: 4 * 1024, intervalMs: 200 };
/** Preferred first; the first one `canPlayType` accepts is used. */
const CANDIDATE_ITAGS: readonly MediaItag[] = [18, 248];

/** What the page saw of one answer to the download URL. */
interface DownloadExchange {
  status: number;
  /** The request's `Range` header, if it sent one. */
  range: string | undefined;
  contentRange: string | undefined;
}

let stack: Stack;
let fenced: FencedBrowser;
let page: Page;
let itag: MediaItag;
let ticket: Ticket;
/** Uncaught exceptions in the page. */
const pageErrors: string[] = [];
/** Every response the page received (the download URL is the only URL it loads). */
const responses: Response[] = [];
/** Requests that failed in the browser, for the report when something goes wrong. */
const failedRequests: string[] = [];

beforeAll(async () => {
  stack = await startStack({}, { trickle: TRICKLE });
  fenced = await launchFencedBrowser();
  page = await fenced.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("response", (response) => responses.push(response));
  page.on("requestfailed", (request) =>
    failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? "?"}`),
  );

  const playable: MediaItag[] = [];
  for (const candidate of CANDIDATE_ITAGS) {
    const mimeType = MEDIA_FORMATS[candidate].mimeType;
    const answer = await page.evaluate((type) => document.createElement("video").canPlayType(type), mimeType);
    if (answer !== "") playable.push(candidate);
  }
  const chosen = playable[0];
  if (chosen === undefined)
    throw new Error(`this Chromium plays none of itags ${CANDIDATE_ITAGS.join(", ")}`);
  itag = chosen;
  console.info(`video-playback: playing itag ${itag} (${MEDIA_FORMATS[itag].mimeType})`);

  ticket = await prepareDownload(stack, {
    url: VIDEO_IDS.mediaTrickle,
    format: { itag },
    disposition: "INLINE",
  });
}, BROWSER_TIMEOUT_MS);

afterAll(async () => {
  await fenced?.close();
  await stack?.stop();
});

/** The responses to the ticket's URL, with the request's `Range` and the answer's `Content-Range`. */
async function downloadExchanges(): Promise<DownloadExchange[]> {
  const mine = responses.filter((r) => r.url() === ticket.url);
  return Promise.all(
    mine.map(async (r) => ({
      status: r.status(),
      range: (await r.request().allHeaders()).range,
      contentRange: (await r.allHeaders())["content-range"],
    })),
  );
}

test(
  "plays the INLINE download in a <video> and seeks to 4 s",
  async () => {
    expect(ticket.format.itag).toBe(itag);
    expect(ticket.mimeType).toBe(MEDIA_FORMATS[itag].contentType);

    const spec = MEDIA_FORMATS[itag];
    await page.setContent(`<!doctype html>
      <meta charset="utf-8">
      <title>downtube video playback</title>
      <p id="caption">itag ${itag}: ${spec.mimeType.replaceAll('"', "&quot;")}</p>
      <video id="player" src="${ticket.url}" muted playsinline preload="auto" width="640"></video>`);

    // Muted playback needs no user gesture; play() rejects (and fails the test) if it cannot start.
    await page.evaluate(() => (document.getElementById("player") as HTMLVideoElement).play());
    await page.waitForFunction(() => {
      const video = document.getElementById("player") as HTMLVideoElement;
      return video.error !== null || (video.readyState >= 2 && video.currentTime > 0);
    });
    const started = await page.evaluate(() => {
      const video = document.getElementById("player") as HTMLVideoElement;
      return {
        error: video.error?.message ?? null,
        duration: video.duration,
        width: video.videoWidth,
        height: video.videoHeight,
      };
    });
    expect(started.error).toBeNull();
    expect(Math.abs(started.duration - MEDIA_SECONDS)).toBeLessThanOrEqual(TOLERANCE_SECONDS);
    // The video track was decoded, at the catalog's size.
    expect<{ width?: number; height?: number }>({ width: started.width, height: started.height }).toEqual({
      width: spec.width,
      height: spec.height,
    });

    // Pause so the position read after `seeked` is the seek's, then seek near the end; `seeked`
    // marks the element, and the frame there must be decoded before the screenshot.
    await page.evaluate((to) => {
      const video = document.getElementById("player") as HTMLVideoElement;
      video.pause();
      video.addEventListener(
        "seeked",
        () => {
          video.dataset.seekedAt = String(video.currentTime);
        },
        { once: true },
      );
      video.currentTime = to;
    }, SEEK_TO_SECONDS);
    await page.waitForFunction(() => {
      const video = document.getElementById("player") as HTMLVideoElement;
      return video.error !== null || (video.dataset.seekedAt !== undefined && video.readyState >= 2);
    });
    const seeked = await page.evaluate(() => {
      const video = document.getElementById("player") as HTMLVideoElement;
      return {
        error: video.error?.message ?? null,
        seekedAt: Number(video.dataset.seekedAt),
        currentTime: video.currentTime,
      };
    });
    expect(seeked.error).toBeNull();
    expect(Math.abs(seeked.seekedAt - SEEK_TO_SECONDS)).toBeLessThanOrEqual(TOLERANCE_SECONDS);
    expect(Math.abs(seeked.currentTime - SEEK_TO_SECONDS)).toBeLessThanOrEqual(TOLERANCE_SECONDS);

    await mkdir(new URL(".", SCREENSHOT), { recursive: true });
    await page.screenshot({ path: Bun.fileURLToPath(SCREENSHOT) });
    expect(pageErrors).toEqual([]);
  },
  BROWSER_TIMEOUT_MS,
);

test("the seek made a Range request, answered 206 with a Content-Range; the gateway never failed", async () => {
  const exchanges = await downloadExchanges();
  console.info(`video-playback: ${exchanges.length} response(s) to the download URL`, exchanges);
  // The browser abandons the first read when it seeks past it (net::ERR_ABORTED): expected.
  if (failedRequests.length > 0)
    console.info(`video-playback: ${failedRequests.length} request(s) cut short`);

  const ranged = exchanges.filter((e) => e.range !== undefined && e.status === 206);
  expect(ranged.length).toBeGreaterThanOrEqual(1);
  for (const e of ranged) {
    expect(e.contentRange).toMatch(/^bytes \d+-\d+\/\d+$/);
    if (ticket.contentLength !== null) expect(e.contentRange).toEndWith(`/${ticket.contentLength}`);
    // The answer starts where the request asked: `bytes=a-` is answered `bytes a-…`.
    const asked = /^bytes=(\d+)-/.exec(e.range ?? "")?.[1];
    expect(e.contentRange?.startsWith(`bytes ${asked}-`)).toBe(true);
  }
  // The seek's own request starts past the first byte.
  expect(ranged.some((e) => !e.range?.startsWith("bytes=0-"))).toBe(true);

  const gatewayOrigin = new URL(stack.graphqlUrl).origin;
  const fromGateway = responses.filter((r) => new URL(r.url()).origin === gatewayOrigin);
  expect(fromGateway.filter((r) => r.status() >= 500).map((r) => `${r.status()} ${r.url()}`)).toEqual([]);
});

test("the browser asked for nothing beyond loopback", () => {
  expect(fenced.blocked).toEqual([]);
});
