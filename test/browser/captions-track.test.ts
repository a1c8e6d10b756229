/**
 * Caption files in a real browser (Debian's Chromium, fenced to loopback): the VTT file the
 * gateway writes loads in a `<track>` of a `<video>` (Chromium's own WebVTT parser reads it: the
 * cues, their times and text), and the page for people offers one "Subtitles" choice per language
 * of a captioned video, which saves the VTT file under the video's title.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { CAPTION_VIDEO_IDS } from "../../fake-youtube/captions.ts";
import { BROWSER_TIMEOUT_MS, type FencedBrowser, launchFencedBrowser } from "../support/browser.ts";
import { parseCaptionFile, prepareCaptions } from "../support/caption-files.ts";
import { choiceNames } from "../support/people-page.ts";
import { type Stack, startStack } from "../support/stack.ts";

let stack: Stack;
let fenced: FencedBrowser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  fenced = await launchFencedBrowser();
  page = await fenced.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
}, BROWSER_TIMEOUT_MS);
afterAll(async () => {
  await fenced?.close();
  await stack?.stop();
});

interface LoadedCue {
  start: number;
  end: number;
  /** The cue's text as written in the file. */
  text: string;
  /** What a viewer sees of it (entities decoded, as Chromium renders the cue). */
  shown: string;
}

/** Loads `src` in a `<track>` of a `<video>` on the gateway's origin; its cues as Chromium parsed them. */
function loadTrack(src: string): Promise<{ state: string; cues: LoadedCue[] }> {
  return page.evaluate(
    (url) =>
      new Promise<{ state: string; cues: LoadedCue[] }>((resolve) => {
        const video = document.createElement("video");
        const track = document.createElement("track");
        track.kind = "subtitles";
        track.srclang = "en";
        track.src = url;
        track.default = true;
        const done = (state: string) => {
          const cues = [...(track.track.cues ?? [])].map((cue) => ({
            start: cue.startTime,
            end: cue.endTime,
            text: (cue as VTTCue).text,
            shown: (cue as VTTCue).getCueAsHTML().textContent ?? "",
          }));
          resolve({ state, cues });
        };
        track.addEventListener("load", () => done("loaded"));
        track.addEventListener("error", () => done("error"));
        video.append(track);
        document.body.append(video);
        track.track.mode = "hidden";
      }),
    src,
  );
}

test(
  "Chromium's <track> loads the gateway's VTT file: every cue, its times and its text",
  async () => {
    // A document of the gateway's origin without the people page's policy (it allows no media).
    await page.goto(new URL("/healthz", stack.gateway.url).href);
    for (const [languageCode, kind] of [
      ["en", "MANUAL"],
      ["en", "AUTO"],
      ["de", "MANUAL"],
    ] as const) {
      const { ticket, codes } = await prepareCaptions(stack, {
        url: CAPTION_VIDEO_IDS.captions,
        captions: { languageCode, kind },
        disposition: "INLINE",
      });
      expect(codes).toEqual([]);
      const url = ticket?.url ?? "";
      const written = parseCaptionFile(await (await fetch(url)).text(), "vtt");
      const loaded = await loadTrack(url);
      expect(loaded.state).toBe("loaded");
      // Chromium decodes the escapes (`&amp;` → `&`) when it shows the cue.
      const unescaped = (text: string) =>
        text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
      expect(loaded.cues).toEqual(written.map((cue) => ({ ...cue, shown: unescaped(cue.text) })));
      expect(loaded.cues.length).toBeGreaterThan(1);
    }
    expect(pageErrors).toEqual([]);
  },
  BROWSER_TIMEOUT_MS,
);

test(
  "the page offers one Subtitles choice per language and saves it as Title.<lang>.vtt",
  async () => {
    await page.goto(`${stack.gateway.url.href}?url=${CAPTION_VIDEO_IDS.captions}`);
    await page.locator("#choices .choice").first().waitFor();
    const names = await choiceNames(page);
    expect(names.filter((name) => name.startsWith("Subtitles"))).toEqual([
      "Subtitles: English",
      "Subtitles: Deutsch",
    ]);
    const [started] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Subtitles: Deutsch" }).click(),
    ]);
    expect(await started.failure()).toBeNull();
    expect(started.suggestedFilename()).toBe("Captioned video.de.vtt");
    const cues = parseCaptionFile(await readFile(await started.path(), "utf8"), "vtt");
    expect(cues.map((cue) => cue.text)).toEqual(["Hallo Welt", "Zweite Zeile"]);
    expect(pageErrors).toEqual([]);
  },
  BROWSER_TIMEOUT_MS,
);
