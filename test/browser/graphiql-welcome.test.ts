/**
 * GraphiQL as a first-time visitor finds it (a fresh browser, nothing remembered): downtube's own
 * welcome text, not GraphiQL's stock one, and example operations that run as they are against the
 * simulated YouTube: the `video` query shows the video, `prepareDownload` a download URL.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { catalogVideo, VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { BROWSER_TIMEOUT_MS, type FencedBrowser, launchFencedBrowser } from "../support/browser.ts";
import { type Stack, startStack } from "../support/stack.ts";

const example = catalogVideo(VIDEO_IDS.graphiqlExample);
if (example === undefined) throw new Error(`catalog has no ${VIDEO_IDS.graphiqlExample}`);

let stack: Stack;
let fenced: FencedBrowser;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  fenced = await launchFencedBrowser({ viewport: { width: 1600, height: 1000 } });
  page = await fenced.context.newPage();
}, BROWSER_TIMEOUT_MS);

afterAll(async () => {
  await fenced?.close();
  await stack?.stop();
});

const editorText = async () =>
  (await page.getByRole("region", { name: "Operation Editor" }).locator(".view-lines").textContent()) ?? "";
const result = () => page.getByRole("region", { name: "Result Window" }).locator(".view-lines");

/** Presses the run button and picks the operation named `name` from its menu. */
async function run(name: string): Promise<void> {
  await page.getByRole("button", { name: /^Execute query/ }).click();
  await page.getByRole("menuitem", { name }).click();
}

test(
  "opens with downtube's welcome and its example operations, not GraphiQL's stock text",
  async () => {
    const answer = await page.goto(new URL("/graphql", stack.gateway.url).href);
    expect(answer?.status()).toBe(200);
    await page.getByRole("region", { name: "Operation Editor" }).getByText("downtube").first().waitFor();
    // Monaco separates words with no-break spaces.
    const text = (await editorText()).replaceAll("\u00a0", " ");
    expect(text).toContain("# downtube: ask about a video");
    expect(text).toContain("query Video");
    expect(text).toContain("mutation Download");
    expect(text).toContain("prepareDownload(");
    expect(text).not.toContain("Welcome to GraphiQL");
    expect(text).not.toContain("Yoga");
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "the example query runs as it is and shows the video",
  async () => {
    await run("Video");
    await result().getByText(JSON.stringify(example.title)).waitFor();
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "the example mutation runs as it is and answers a download URL of the gateway",
  async () => {
    await run("Download");
    await result().getByText(`${stack.gateway.url.origin}/download/`).waitFor();
    expect(fenced.blocked).toEqual([]);
  },
  BROWSER_TIMEOUT_MS,
);
