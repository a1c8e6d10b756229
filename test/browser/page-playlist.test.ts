/**
 * The page for people shows a playlist from its link: title, count, the first page of entries
 * and a "More" button that loads the rest page by page until the list ends; deleted and private
 * entries are listed as unavailable; "Download all (ZIP)" mints one archive of the list in the
 * quality picked and the browser saves a ZIP; a channel link lists its uploads; a private list says
 * so in words. Real Chromium, fenced to loopback.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { FAKE_CHANNEL } from "../../fake-youtube/catalog.ts";
import {
  CHANNEL_HANDLE,
  CHANNEL_UPLOAD_ENTRIES,
  fakePlaylist,
  PLAYLIST_IDS,
} from "../../fake-youtube/playlists.ts";
import { BROWSER_TIMEOUT_MS, type FencedBrowser, launchFencedBrowser } from "../support/browser.ts";
import { runCommand } from "../support/merges.ts";
import { CLIPBOARD_PERMISSIONS, pasteAndEnter, saveScreenshot } from "../support/people-page.ts";
import { type Stack, startStack } from "../support/stack.ts";

let fenced: FencedBrowser;
let stack: Stack;
const pageErrors: string[] = [];

beforeAll(async () => {
  [fenced, stack] = await Promise.all([
    launchFencedBrowser({ viewport: { width: 800, height: 700 }, permissions: CLIPBOARD_PERMISSIONS }),
    startStack(),
  ]);
}, BROWSER_TIMEOUT_MS);
afterAll(async () => {
  await fenced?.close();
  await stack?.stop();
});

async function openPage(query = ""): Promise<Page> {
  const page = await fenced.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(new URL(query, stack.gateway.url).href);
  return page;
}

const entryTexts = (page: Page) => page.locator("#entries li").allTextContents();
const entryCount = (page: Page) => page.locator("#entries li").count();

describe("a playlist link", () => {
  test("shows the title, the count and the first page, and More loads the rest until the list ends", async () => {
    const list = fakePlaylist(PLAYLIST_IDS.long);
    const entries = list?.entries ?? [];
    const page = await openPage();
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "url");
    await pasteAndEnter(page, `https://www.youtube.com/playlist?list=${PLAYLIST_IDS.long}`);
    await page.locator("#list").waitFor({ state: "visible" });
    expect(await page.locator("#list-title").textContent()).toBe(list?.title as string);
    // The list's title takes focus, as a video's does, so a screen reader reads what came.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("list-title");
    expect(await page.locator("#list-meta").textContent()).toBe(
      `${FAKE_CHANNEL.name} · ${entries.length} videos`,
    );
    expect(await entryCount(page)).toBe(50);
    const more = page.getByRole("button", { name: "More" });
    for (let shown = 50; shown < entries.length; shown += 50) {
      await more.click();
      await page.waitForFunction((n) => document.querySelectorAll("#entries li").length > n, shown);
      // Focus moves on to the first new entry, so a keyboard goes on reading from there.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
        entries[shown]?.title as string,
      );
    }
    await page.waitForFunction(() => document.getElementById("more")?.hidden === true);
    const texts = await entryTexts(page);
    expect(texts.map((text) => text.replace(/ \d+:\d\d$/, ""))).toEqual(entries.map((entry) => entry.title));
    // Each entry is numbered by its place in the list, and links to the page for its video.
    const numbers = await page
      .locator("#entries li")
      .evaluateAll((items) => items.map((li) => (li as HTMLLIElement).value));
    expect(numbers).toEqual(entries.map((_, i) => i + 1));
    const firstLink = await page.locator("#entries li a").first().getAttribute("href");
    expect(new URLSearchParams(firstLink?.slice(1)).get("url")).toBe(
      `https://www.youtube.com/watch?v=${entries[0]?.id}`,
    );
    expect(await page.getByRole("button", { name: "Download all (ZIP)" }).isVisible()).toBe(true);
    await saveScreenshot(page, "playlist");
    expect(pageErrors).toEqual([]);
    expect(fenced.blocked).toEqual([]); // the page talks to the gateway alone
    await page.close();
  });

  test("lists deleted and private entries as unavailable, without a link", async () => {
    const entries = fakePlaylist(PLAYLIST_IDS.mixed)?.entries ?? [];
    const page = await openPage(`/?url=${encodeURIComponent(PLAYLIST_IDS.mixed)}`);
    await page.waitForFunction((n) => document.querySelectorAll("#entries li").length === n, entries.length);
    const unplayable = await page.locator("#entries li.unplayable").allTextContents();
    expect(unplayable).toEqual(
      entries.filter((entry) => entry.state !== "ok").map((entry) => `${entry.title} (unavailable)`),
    );
    expect(await page.locator("#entries li.unplayable a").count()).toBe(0);
    expect(await page.locator("#entries li a").count()).toBe(entries.filter((e) => e.state === "ok").length);
    expect(await page.locator("#more").isHidden()).toBe(true);
    await page.close();
  });

  test("following an entry's link shows that video's download choices", async () => {
    const entries = fakePlaylist(PLAYLIST_IDS.mixed)?.entries ?? [];
    const page = await openPage(`/?url=${encodeURIComponent(PLAYLIST_IDS.mixed)}`);
    await page.locator("#entries li a").first().click();
    await page.waitForFunction(() => document.querySelectorAll("#choices .choice").length > 0);
    expect(new URL(page.url()).searchParams.get("url")).toBe(
      `https://www.youtube.com/watch?v=${entries[0]?.id}`,
    );
    expect(await page.locator("#list").isHidden()).toBe(true);
    await page.close();
  });

  test("Download all (ZIP) mints an archive of the list in the quality picked and saves a ZIP", async () => {
    const playable = (fakePlaylist(PLAYLIST_IDS.mixed)?.entries ?? []).filter((e) => e.state === "ok").length;
    /** One `NN - Title.ext` entry per playable video, with `extension`, and no error entry. */
    const onePer = (extension: string) => Array.from({ length: playable }, () => extension);
    const extensions = (entries: string[]) => entries.map((entry) => /^\d\d - .+(\.\w+)$/.exec(entry)?.[1]);
    const page = await openPage(`/?url=${encodeURIComponent(PLAYLIST_IDS.mixed)}`);
    const archiveBodies: string[] = [];
    page.on("request", (request) => {
      if (request.postData()?.includes("prepareArchive")) archiveBodies.push(request.postData() ?? "");
    });
    const button = page.getByRole("button", { name: "Download all (ZIP)" });
    await button.waitFor();
    const quality = page.getByLabel("Quality of every video");
    expect(await quality.locator("option").allTextContents()).toEqual([
      "Best MP4 (video and audio in one file)",
      "Best quality, merged MP4", // the stack's schema offers merges
      "MP3 audio",
    ]);

    /** Clicks the button and returns the saved archive, the input sent and the names inside. */
    async function downloadAll() {
      const [started] = await Promise.all([page.waitForEvent("download"), button.click()]);
      expect(await started.failure()).toBeNull();
      const path = await started.path();
      const bytes = new Uint8Array(await Bun.file(path).arrayBuffer());
      const listing = await runCommand(["unzip", "-Z1", path]);
      return {
        name: started.suggestedFilename(),
        magic: new TextDecoder().decode(bytes.slice(0, 2)),
        tested: (await runCommand(["unzip", "-tq", path])).code,
        entries: listing.stdout.trim().split("\n"),
        input: JSON.parse(archiveBodies.at(-1) ?? "{}").variables.input,
      };
    }

    const mp4 = await downloadAll();
    expect(mp4.input).toEqual({ playlistUrl: PLAYLIST_IDS.mixed, maxItems: 5 });
    expect(mp4).toMatchObject({ magic: "PK", tested: 0 });
    expect(mp4.name).toEndWith(".zip");
    expect(extensions(mp4.entries)).toEqual(onePer(".mp4"));
    await page.getByRole("status").getByText("Downloading").waitFor();
    // Focus comes back to the button, so another quality can be picked from there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("archive");

    await quality.selectOption({ label: "MP3 audio" });
    const mp3 = await downloadAll();
    expect(mp3.input).toEqual({ playlistUrl: PLAYLIST_IDS.mixed, audio: { format: "MP3" }, maxItems: 5 });
    expect(mp3).toMatchObject({ magic: "PK", tested: 0 });
    expect(extensions(mp3.entries)).toEqual(onePer(".mp3"));

    await quality.selectOption({ label: "Best quality, merged MP4" });
    const merged = await downloadAll();
    expect(merged.input).toEqual({
      playlistUrl: PLAYLIST_IDS.mixed,
      format: { kind: "MERGED" },
      maxItems: 5,
    });
    expect(merged).toMatchObject({ magic: "PK", tested: 0 });
    expect(extensions(merged.entries)).toEqual(onePer(".mp4"));
    await saveScreenshot(page, "playlist-archive");
    expect(fenced.blocked).toEqual([]);
    await page.close();
  });

  test("a private list says so in words", async () => {
    const page = await openPage(
      `/?url=${encodeURIComponent(`https://www.youtube.com/playlist?list=${PLAYLIST_IDS.private}`)}`,
    );
    await page.waitForFunction(() => (document.querySelector("[role=alert]")?.textContent ?? "") !== "");
    expect(await page.getByRole("alert").textContent()).toMatch(
      /no playlist or channel at this link, or it is private/,
    );
    expect(await page.locator("#list").isHidden()).toBe(true);
    await page.close();
  });
});

test("a channel link lists its uploads, newest first", async () => {
  const page = await openPage(`/?url=${encodeURIComponent(`https://www.youtube.com/${CHANNEL_HANDLE}`)}`);
  await page.locator("#list").waitFor({ state: "visible" });
  expect(await page.locator("#list-title").textContent()).toBe(FAKE_CHANNEL.name);
  const texts = await entryTexts(page);
  expect(texts.map((text) => text.replace(/ \d+:\d\d$/, ""))).toEqual(
    CHANNEL_UPLOAD_ENTRIES.slice(0, 50).map((entry) => entry.title),
  );
  expect(await page.locator("#more").isVisible()).toBe(true);
  await page.close();
});
