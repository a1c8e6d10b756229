/**
 * Helpers for the browser tests of the page for people (`GET /`): screenshots under
 * `test/artifacts/`, what the page shows, and what the public API says it should show.
 */
import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { prepareDownload, type Ticket } from "./downloads.ts";
import type { Stack } from "./stack.ts";

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

/** How buttons name a video's container and a sound-only file's, as the issue names them. */
const VIDEO_NAMES: Readonly<Record<string, string>> = { mp4: "MP4", webm: "WebM" };
const AUDIO_NAMES: Readonly<Record<string, string>> = { mp4: "Audio M4A", webm: "Audio WebM" };

/** The fields of `Format` the expected choices come from. */
interface ApiFormat {
  container: string;
  height: number | null;
  hasVideo: boolean;
  hasAudio: boolean;
}
/** A video choice the API says a video has. */
interface VideoChoice {
  name: string;
  height: number;
  container: string;
}

/**
 * The names of a video's choices the page must show, best first, from the public API alone: the
 * formats `Video.formats` lists, and the merge `prepareDownload(kind: MERGED)` makes for each
 * container (offered when it is taller than every muxed format). Video by height, MP4 before WebM
 * at one height, then sound alone in the API's order. Throws when the API does not answer.
 */
export async function expectedChoices(
  stack: Pick<Stack, "client">,
  url: string,
): Promise<{ names: string[]; merges: (VideoChoice & { ticket: Ticket })[] }> {
  const listed = await stack.client
    .query<{ video: { formats: ApiFormat[] } }>(
      "query ($url: String!) { video(url: $url) { formats { container height hasVideo hasAudio } } }",
      { url },
    )
    .toPromise();
  if (listed.data == null) throw new Error(`video(url) failed: ${listed.error?.message ?? "no data"}`);
  const formats = listed.data.video.formats;
  const muxed = formats.filter((f) => f.hasVideo && f.hasAudio);
  const bestMuxed = Math.max(0, ...muxed.map((f) => f.height ?? 0));
  const named = (height: number, container: string) => ({
    name: `${height}p ${VIDEO_NAMES[container]}`,
    height,
    container,
  });
  const merges = await Promise.all(
    Object.keys(VIDEO_NAMES).map(async (container) => {
      const format = { kind: "MERGED", container };
      const ticket = await prepareDownload(stack, { url, format });
      return { ...named(ticket.format.height ?? 0, container), ticket };
    }),
  );
  const taller = merges.filter((merge) => merge.height > bestMuxed);
  const video = [...taller, ...muxed.map((f) => named(f.height ?? 0, f.container))].sort(
    (a, b) => b.height - a.height || Number(a.container !== "mp4") - Number(b.container !== "mp4"),
  );
  const audio = formats.filter((f) => f.hasAudio && !f.hasVideo).map((f) => AUDIO_NAMES[f.container] ?? "");
  // An MP3 the gateway converts from the best audio, whenever the video has sound.
  const mp3 = formats.some((f) => f.hasAudio) ? ["Audio MP3"] : [];
  return { names: [...new Set([...video.map((v) => v.name), ...audio, ...mp3])], merges: taller };
}

/** The bytes a size text stands for: "344 KB", "about 4.2 MB". */
export function bytesOf(text: string | null): number {
  const [value, unit] = (text ?? "").replace(/^about /, "").split(" ");
  return Number(value) * ({ KB: 1e3, MB: 1e6 }[unit ?? ""] ?? Number.NaN);
}
