/**
 * The page for people in a real browser (Debian's Chromium, fenced to loopback): open `/`, paste a
 * link, see the video and its choices, and download one: the saved file's bytes are the origin's
 * and its name is the video's title. Also: the loading state, keyboard-only use, `?url=`, a 375 px
 * wide window, the dark colour scheme, and what the page loads (small, from the gateway only:
 * thumbnails included, no request goes to any other host).
 *
 * A merged choice (best video + best audio, remuxed by the gateway's ffmpeg) is downloaded too and
 * checked with ffprobe. The tests share one page and run in order; each saves a screenshot under
 * `test/artifacts/`.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page, Request, Response } from "playwright-core";
import { FAKE_CHANNEL, PLAIN_TITLE, VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import type { MediaItag } from "../../fake-youtube/media.ts";
import { BROWSER_TIMEOUT_MS, type FencedBrowser, launchFencedBrowser } from "../support/browser.ts";
import type { Ticket } from "../support/downloads.ts";
import { ffprobe } from "../support/merges.ts";
import {
  bytesOf,
  CLIPBOARD_PERMISSIONS,
  choiceNames,
  expectedChoices,
  pasteAndEnter,
  saveScreenshot,
  scrollsSideways,
  sha256OfFile,
} from "../support/people-page.ts";
import { type Stack, startStack } from "../support/stack.ts";

/**
 * The choices the public API says the simulated plain video has (see fake-youtube/media.ts), best
 * first: video by height, MP4 before WebM at one height (merges the gateway makes above its best
 * muxed format, then the muxed ones), then sound alone in the order the API ranks it (both tracks
 * are 128 kbps, so their measured bitrates decide); filled in before the tests.
 */
let PLAIN_CHOICES: string[];
/** The best merged MP4 choice: its button's name and the ticket the API mints for that merge. */
let MERGED_MP4: { name: string; ticket: Ticket };
const WATCH_URL = `https://www.youtube.com/watch?v=${VIDEO_IDS.plain}`;
/** What the video's title keeps in a file name (quotes and slashes cannot be in one). */
const TITLE_PARTS = ["Fake", "Tour 🎬", "日本語のテスト", "Ελληνικά", "Кириллица"];
/** The name the plain MP4 was saved under; a merged MP4 of the same video gets the same one. */
let plainMp4Name: string;

let stack: Stack;
let fenced: FencedBrowser;
let page: Page;
/** Every URL the page requested, in order. */
const requested: string[] = [];
const pageErrors: string[] = [];
const responses: Response[] = [];
/** The bodies of the page's GraphQL requests, in order. */
const graphqlBodies: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  fenced = await launchFencedBrowser({
    viewport: { width: 1024, height: 800 },
    colorScheme: "light",
    permissions: CLIPBOARD_PERMISSIONS,
  });
  page = await fenced.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("response", (response) => responses.push(response));
  page.on("request", (request: Request) => {
    requested.push(request.url());
    if (new URL(request.url()).pathname === "/graphql") graphqlBodies.push(request.postData() ?? "");
  });

  const expected = await expectedChoices(stack, VIDEO_IDS.plain);
  PLAIN_CHOICES = expected.names;
  const mp4 = expected.merges.find((m) => m.container === "mp4");
  if (mp4 === undefined) throw new Error("the API offers no merged MP4 above the muxed formats");
  MERGED_MP4 = { name: mp4.name, ticket: mp4.ticket };
}, BROWSER_TIMEOUT_MS);

afterAll(async () => {
  await fenced?.close();
  await stack?.stop();
});

/** The file name is the video's title, less what a file name cannot hold, with `extension`. */
function expectTitled(name: string, extension: string): void {
  expect(name).toEndWith(extension);
  for (const part of TITLE_PARTS) expect(name).toContain(part);
}

/** The origin's bytes of one format, hashed. */
function originSha(itag: MediaItag): Promise<string> {
  const file = stack.youtube.media.get(itag);
  if (file === undefined) throw new Error(`the simulated YouTube has no itag ${itag}`);
  return sha256OfFile(file.path);
}

/** Clicks (or, with `key`, presses Enter on) a choice and returns the finished download. */
async function download(act: () => Promise<void>) {
  const [started] = await Promise.all([page.waitForEvent("download"), act()]);
  const path = await started.path();
  expect(await started.failure()).toBeNull();
  return { name: started.suggestedFilename(), path, sha: await sha256OfFile(path) };
}

/** How many `prepareDownload` mutations the page has sent. */
const mutations = () => graphqlBodies.filter((body) => body.includes("prepareDownload")).length;

test(
  "a browser gets the page, with a strict policy, its URL field focused",
  async () => {
    const answer = await page.goto(stack.gateway.url.href);
    expect(answer?.status()).toBe(200);
    const headers = answer?.headers() ?? {};
    expect(headers["content-type"]).toStartWith("text/html");
    const policy = headers["content-security-policy"] ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain("unsafe-inline");
    expect(policy).not.toContain("unsafe-eval");
    // No other origin, YouTube's image host included: the policy names none.
    expect(policy).not.toMatch(/https?:|ytimg/);

    await expect(page.title()).resolves.toContain("downtube");
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "url");
    await saveScreenshot(page, "empty");
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "paste and Enter: the page says it is looking, then shows the video and its choices best first",
  async () => {
    // The lookup is held in the browser until the loading state has been seen, then let through.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/graphql", async (route) => {
      await held;
      await route.continue();
    });
    await pasteAndEnter(page, WATCH_URL);
    await page.getByRole("status").getByText("Looking up the video").waitFor();
    expect(await page.locator("form#lookup").getAttribute("aria-busy")).toBe("true");
    await saveScreenshot(page, "loading");
    release();

    const heading = page.getByRole("heading", { level: 2 });
    await heading.waitFor();
    await page.unroute("**/graphql");
    expect(await heading.textContent()).toBe(PLAIN_TITLE);
    const meta = (await page.locator("#meta").textContent()) ?? "";
    expect(meta).toContain(FAKE_CHANNEL.name);
    expect(meta).toContain("0:06");
    expect(await choiceNames(page)).toEqual(PLAIN_CHOICES);

    // Sizes are shown, and are the origin's file sizes.
    const sizeOf360 = await page
      .getByRole("button", { name: /^360p MP4/ })
      .locator(".size")
      .textContent();
    expect(sizeOf360).not.toStartWith("about");
    const bytes = bytesOf(sizeOf360);
    const actual = stack.youtube.media.get(18)?.size ?? 0;
    expect(Math.abs(bytes - actual) / actual).toBeLessThan(0.05);

    // The thumbnail came through the gateway (which fetched it from the image host) and was drawn.
    const thumbnails = requested.filter((url) => new URL(url).pathname.startsWith("/thumbnail/"));
    expect(thumbnails).toEqual([new URL(`/thumbnail/${VIDEO_IDS.plain}`, stack.gateway.url).href]);
    await page.waitForFunction(() => (document.getElementById("thumb") as HTMLImageElement).naturalWidth > 0);
    // Asked only once the picture is drawn: the browser's request starts before the gateway's does.
    expect(stack.youtube.hits.all.some((hit) => hit.kind === "thumbnail")).toBe(true);
    // Looking the video up minted nothing: tokens are made when a choice is picked.
    expect(mutations()).toBe(0);
    expect(new URL(page.url()).searchParams.get("url")).toBe(WATCH_URL);
    await saveScreenshot(page, "choices");
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "a choice mints a download then and saves the origin's bytes under the title's name",
  async () => {
    const video = await download(() => page.getByRole("button", { name: /^360p MP4/ }).click());
    expect(mutations()).toBe(1);
    expect(video.sha).toBe(await originSha(18));
    expectTitled(video.name, ".mp4");
    plainMp4Name = video.name;
    await page.getByRole("status").getByText("Downloading").waitFor();

    const audio = await download(() => page.getByRole("button", { name: /^Audio M4A/ }).click());
    expect(mutations()).toBe(2);
    expect(audio.sha).toBe(await originSha(140));
    expect(audio.name).toEndWith(".m4a");
    expect(audio.name.slice(0, -4)).toBe(video.name.slice(0, -4));
    await saveScreenshot(page, "downloading");
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "a merged choice shows an approximate size and saves one MP4 with the title's name: H.264 + AAC, whole",
  async () => {
    const button = page.getByRole("button", { name: new RegExp(`^${MERGED_MP4.name}`) });
    // A merge's size is known only once ffmpeg has made it: the page shows the API's estimate as one.
    const size = await button.locator(".size").textContent();
    expect(size).toStartWith("about ");
    const estimate = MERGED_MP4.ticket.estimatedContentLength ?? 0;
    expect(Math.abs(bytesOf(size) - estimate) / estimate).toBeLessThan(0.05);

    const before = mutations();
    const merged = await download(() => button.click());
    expect(mutations()).toBe(before + 1);
    expectTitled(merged.name, ".mp4");
    expect(merged.name).toBe(plainMp4Name);

    const probe = await ffprobe(merged.path);
    expect(probe.streams.map((s) => [s.codec_type, s.codec_name])).toEqual([
      ["video", "h264"],
      ["audio", "aac"],
    ]);
    const source = [...stack.youtube.media.values()].find((f) => f.itag === MERGED_MP4.ticket.format.itag);
    // Containers round a track's end to their own time base: a frame's worth either way.
    expect(Math.abs(probe.duration - (source?.durationMs ?? 0) / 1000)).toBeLessThan(0.1);
    await page.waitForFunction(() => document.querySelector(".choice[aria-busy]") === null);
    await saveScreenshot(page, "merged-download");
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "the MP3 choice shows an approximate size and saves an MP3 with the title's name, converted by the gateway",
  async () => {
    const button = page.getByRole("button", { name: /^Audio MP3/ });
    expect(await button.locator(".size").textContent()).toStartWith("about ");
    const before = mutations();
    const mp3 = await download(() => button.click());
    expect(mutations()).toBe(before + 1);
    expect(graphqlBodies.at(-1)).toContain('"audio":{"format":"MP3"}');
    expectTitled(mp3.name, ".mp3");
    expect((await ffprobe(mp3.path)).streams.map((s) => s.codec_name)).toContain("mp3");
    await page.waitForFunction(() => document.querySelector(".choice[aria-busy]") === null);
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "keyboard only: type, Enter, Tab to a choice with a visible focus ring, Enter downloads",
  async () => {
    await page.goto(stack.gateway.url.href);
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "url");
    await page.keyboard.type(VIDEO_IDS.plain);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 2 }).waitFor();
    // The heading takes focus; the next stop is the best choice.
    await page.waitForFunction(() => document.activeElement?.id === "title");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const style = getComputedStyle(element);
      return {
        text: element.querySelector(".name")?.textContent,
        outline: style.outlineStyle,
        width: Number.parseFloat(style.outlineWidth),
      };
    });
    expect(focused.text).toBe(PLAIN_CHOICES[0]);
    expect(focused.outline).not.toBe("none");
    expect(focused.width).toBeGreaterThanOrEqual(2);
    await saveScreenshot(page, "keyboard-focus");

    // Tab on to the plain MP4, past the merges above it.
    for (let stop = 0; stop < PLAIN_CHOICES.indexOf("360p MP4"); stop++) await page.keyboard.press("Tab");
    const saved = await download(() => page.keyboard.press("Enter"));
    expect(saved.sha).toBe(await originSha(18));
    // Focus stays on the choice, so another can be picked from there.
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("choice");
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "?url= in the address fills the field and looks the video up",
  async () => {
    const shared = new URL(stack.gateway.url);
    shared.searchParams.set("url", `https://youtu.be/${VIDEO_IDS.plain}`);
    await page.goto(shared.href);
    await page.getByRole("heading", { level: 2, name: PLAIN_TITLE }).waitFor();
    expect(await page.getByLabel("Video link").inputValue()).toBe(`https://youtu.be/${VIDEO_IDS.plain}`);
    expect(await choiceNames(page)).toEqual(PLAIN_CHOICES);
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "375 px wide: no horizontal scrolling, with the answer and with an error",
  async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.getByRole("heading", { level: 2 }).isVisible()).toBe(true);
    expect(await scrollsSideways(page)).toBe(false);
    await saveScreenshot(page, "375px");

    await pasteAndEnter(page, `https://www.youtube.com/watch?v=${VIDEO_IDS.private}`);
    await page.getByRole("alert").getByText("private").waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await saveScreenshot(page, "375px-error");
    await page.setViewportSize({ width: 1024, height: 800 });
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "follows the dark colour scheme",
  async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.goto(new URL(`/?url=${VIDEO_IDS.plain}`, stack.gateway.url).href);
    await page.getByRole("heading", { level: 2 }).waitFor();
    const light = await background();
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await background();
    expect(dark).not.toBe(light);
    // Dark means dark: every channel of the background is low.
    const channels = (dark.match(/\d+/g) ?? []).slice(0, 3).map(Number);
    expect(channels.every((c) => c < 64)).toBe(true);
    await saveScreenshot(page, "dark");
    await page.emulateMedia({ colorScheme: "light" });
  },
  BROWSER_TIMEOUT_MS,
);

test("the page's own files are small and all came from the gateway, without script errors", async () => {
  const gateway = stack.gateway.url.origin;
  const own = responses.filter((r) => {
    const url = new URL(r.url());
    return url.origin === gateway && (url.pathname === "/" || url.pathname.startsWith("/page/"));
  });
  const firstOfEach = new Map(own.map((r) => [new URL(r.url()).pathname, r]));
  expect([...firstOfEach.keys()].filter((p) => p.endsWith(".js")).length).toBeGreaterThan(0);
  let total = 0;
  for (const response of firstOfEach.values()) total += (await response.body()).byteLength;
  expect(total).toBeLessThan(100_000);
  expect(pageErrors).toEqual([]);
  expect(fenced.blocked).toEqual([]);
});

test("the page made no request to any host but the gateway", () => {
  const gateway = stack.gateway.url.origin;
  expect(requested.length).toBeGreaterThan(0);
  expect(requested.filter((url) => new URL(url).origin !== gateway)).toEqual([]);
});
