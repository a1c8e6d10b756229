/**
 * The page for people on a gateway with `DOWNTUBE_API_KEYS` set: it shows a key field, says in
 * words when a key is needed or wrong, sends the key as `Authorization: Bearer …` (never in the
 * address), and remembers it in the browser for the next visit; a list's "Download all (ZIP)"
 * asks for the key the same way. Real Chromium, fenced to loopback.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { PLAYLIST_IDS } from "../../fake-youtube/playlists.ts";
import { BROWSER_TIMEOUT_MS, type FencedBrowser, launchFencedBrowser } from "../support/browser.ts";
import {
  CLIPBOARD_PERMISSIONS,
  pasteAndEnter,
  saveScreenshot,
  sha256OfFile,
} from "../support/people-page.ts";
import { type Stack, startStack } from "../support/stack.ts";

const KEY = "page-test-key-4f9a2c7e1b";

let stack: Stack;
let fenced: FencedBrowser;
let page: Page;
const pageErrors: string[] = [];
/** The `Authorization` header of each `prepareDownload` or `prepareArchive` request the page sent. */
const prepareAuthorizations: (string | undefined)[] = [];

beforeAll(async () => {
  stack = await startStack({ DOWNTUBE_API_KEYS: KEY });
  fenced = await launchFencedBrowser({
    viewport: { width: 800, height: 900 },
    permissions: CLIPBOARD_PERMISSIONS,
  });
  page = await fenced.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("request", async (request) => {
    if (/prepare(Download|Archive)/.test(request.postData() ?? ""))
      prepareAuthorizations.push((await request.allHeaders()).authorization);
  });
}, BROWSER_TIMEOUT_MS);

afterAll(async () => {
  await fenced?.close();
  await stack?.stop();
});

const alertText = async () => (await page.getByRole("alert").textContent()) ?? "";

test(
  "without a key, choosing a download says a key is needed and moves to the key field",
  async () => {
    await page.goto(stack.gateway.url.href);
    expect(await page.getByLabel("API key").isVisible()).toBe(true);
    await pasteAndEnter(page, VIDEO_IDS.plain);
    await page.getByRole("heading", { level: 2 }).waitFor();

    await page.getByRole("button", { name: /^360p MP4/ }).click();
    await page.getByRole("alert").getByText("API key").waitFor();
    expect(await alertText()).not.toMatch(/UNAUTHENTICATED|Bearer/);
    await page.waitForFunction(() => document.activeElement?.id === "key");
    expect(prepareAuthorizations).toEqual([undefined]);
    await saveScreenshot(page, "api-key-needed");
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "with the key typed in, the download works, the key goes in the header and never in the address",
  async () => {
    await page.keyboard.type(KEY);
    const [started] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: /^360p MP4/ }).click(),
    ]);
    const file = stack.youtube.media.get(18);
    expect(await sha256OfFile(await started.path())).toBe(await sha256OfFile(file?.path ?? ""));
    expect(prepareAuthorizations.at(-1)).toBe(`Bearer ${KEY}`);
    expect(page.url()).not.toContain(KEY);
    expect(stack.logs.filter((line) => line.includes(KEY))).toEqual([]);
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "the key is remembered for the next visit; a wrong one is refused in words",
  async () => {
    await page.reload();
    expect(await page.getByLabel("API key").inputValue()).toBe(KEY);

    await page.getByLabel("API key").fill("not-the-configured-key-123");
    await pasteAndEnter(page, VIDEO_IDS.plain);
    await page.getByRole("alert").getByText("API key").waitFor();
    expect(await alertText()).toMatch(/valid API key/);
    await saveScreenshot(page, "api-key-wrong");
    // What was typed last is what is remembered.
    await page.reload();
    expect(await page.getByLabel("API key").inputValue()).toBe("not-the-configured-key-123");
    expect(pageErrors).toEqual([]);
    expect(fenced.blocked).toEqual([]);
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "a list's Download all (ZIP) without a key says a key is needed; with it, the ZIP is saved",
  async () => {
    await page.getByLabel("API key").fill("");
    await pasteAndEnter(page, PLAYLIST_IDS.mixed);
    const button = page.getByRole("button", { name: "Download all (ZIP)" });
    await button.click();
    await page.getByRole("alert").getByText("API key").waitFor();
    await page.waitForFunction(() => document.activeElement?.id === "key");
    expect(prepareAuthorizations.at(-1)).toBeUndefined();

    await page.keyboard.type(KEY);
    const [started] = await Promise.all([page.waitForEvent("download"), button.click()]);
    const head = new Uint8Array(
      await Bun.file(await started.path())
        .slice(0, 2)
        .arrayBuffer(),
    );
    expect(new TextDecoder().decode(head)).toBe("PK");
    expect(prepareAuthorizations.at(-1)).toBe(`Bearer ${KEY}`);
    expect(await alertText()).toBe("");
    expect(pageErrors).toEqual([]);
  },
  BROWSER_TIMEOUT_MS,
);
