/**
 * Helpers for the browser tests of the page for people (`GET /`): YouTube's thumbnail host played
 * inside the browser, screenshots under `test/artifacts/`, and what the page shows.
 */
import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";

/** Where the page may show thumbnails from (the Content-Security-Policy's only other origin). */
export const THUMBNAIL_ORIGIN = "https://i.ytimg.com";

/** A stand-in picture for a thumbnail: the catalog declares YouTube's URLs, which tests never reach. */
const THUMBNAIL_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360">' +
  '<rect width="480" height="360" fill="#3b6ea5"/><circle cx="240" cy="180" r="60" fill="#fff"/></svg>';

/**
 * Answers the page's thumbnail requests inside the browser (nothing leaves the machine) and
 * records their URLs; any other request beyond loopback still meets the fence of `browser.ts`.
 */
export async function playThumbnailHost(page: Page): Promise<string[]> {
  const requested: string[] = [];
  await page.route(`${THUMBNAIL_ORIGIN}/**`, (route) => {
    requested.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "image/svg+xml", body: THUMBNAIL_SVG });
  });
  return requested;
}

/** Saves a screenshot of the whole page as `test/artifacts/page-<name>.png`. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const file = new URL(`../artifacts/page-${name}.png`, import.meta.url);
  await mkdir(new URL(".", file), { recursive: true });
  await page.screenshot({ path: Bun.fileURLToPath(file), fullPage: true });
}

/** The visible names of the download choices, in the page's order (sizes left out). */
export function choiceNames(page: Page): Promise<string[]> {
  return page.locator("#choices .choice .name").allTextContents();
}

/**
 * Pastes a link into the page's URL field (clipboard, then Ctrl+V) and presses Enter. The
 * context needs the clipboard permissions (`CLIPBOARD_PERMISSIONS`).
 */
export async function pasteAndEnter(page: Page, link: string): Promise<void> {
  const field = page.getByLabel("Video link");
  await field.fill("");
  await field.focus();
  await page.evaluate((text) => navigator.clipboard.writeText(text), link);
  await page.keyboard.press("ControlOrMeta+V");
  await page.keyboard.press("Enter");
}

/** What `pasteAndEnter` needs of the browser context. */
export const CLIPBOARD_PERMISSIONS = ["clipboard-read", "clipboard-write"];

/** Whether the document is wider than the window (a horizontal scrollbar). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** SHA-256 of a file, hex. */
export async function sha256OfFile(path: string): Promise<string> {
  return new Bun.CryptoHasher("sha256").update(await Bun.file(path).arrayBuffer()).digest("hex");
}
