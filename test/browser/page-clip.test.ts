/**
 * The page's From / To fields in a real browser: a clip of the long video saved under a name that
 * says its range, and a time that is no time refused on the page without asking the gateway.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { prepareLongMedia } from "../../fake-youtube/long-media.ts";
import { BROWSER_TIMEOUT_MS, type FencedBrowser, launchFencedBrowser } from "../support/browser.ts";
import { ffprobe } from "../support/merges.ts";
import { pasteAndEnter } from "../support/people-page.ts";
import { type Stack, startStack } from "../support/stack.ts";

let stack: Stack;
let fenced: FencedBrowser;
let page: Page;
const mutations: string[] = [];

beforeAll(async () => {
  await prepareLongMedia();
  stack = await startStack();
  fenced = await launchFencedBrowser({ viewport: { width: 1024, height: 800 } });
  page = await fenced.context.newPage();
  page.on("request", (request) => {
    const body = request.postData() ?? "";
    if (new URL(request.url()).pathname === "/graphql" && body.includes("prepareDownload"))
      mutations.push(body);
  });
  await page.goto(stack.gateway.url.href);
  await pasteAndEnter(page, `https://www.youtube.com/watch?v=${VIDEO_IDS.long}`);
  await page.getByRole("heading", { level: 2 }).waitFor();
}, BROWSER_TIMEOUT_MS * 2);
afterAll(async () => {
  await fenced?.close();
  await stack?.stop();
});

test(
  "From 1:30 To 1:40 saves a clip of those seconds, named for them",
  async () => {
    await page.getByLabel("From").fill("1:30");
    await page.getByLabel("To").fill("1:40");
    const [started] = await Promise.all([
      page.waitForEvent("download"),
      page
        .getByRole("button", { name: /^90p MP4/ })
        .first()
        .click(),
    ]);
    expect(await started.failure()).toBeNull();
    expect(started.suggestedFilename()).toBe("A long talk (1m30s-1m40s).mp4");
    const probe = await ffprobe(await started.path());
    expect(probe.duration).toBeGreaterThan(10 - 0.2);
    expect(probe.duration).toBeLessThan(10 + 2 + 0.2);
    expect(mutations.at(-1)).toContain('"clip":{"startSeconds":90,"endSeconds":100}');
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "a From that is no time is refused on the page, and nothing is minted",
  async () => {
    const before = mutations.length;
    await page.getByLabel("From").fill("soon");
    await page
      .getByRole("button", { name: /^90p MP4/ })
      .first()
      .click();
    await page.getByRole("alert").getByText("minutes:seconds").waitFor();
    expect(mutations.length).toBe(before);
  },
  BROWSER_TIMEOUT_MS,
);
