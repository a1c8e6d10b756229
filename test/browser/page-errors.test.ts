/**
 * The page for people says what went wrong in words, in its `role="alert"` element: private,
 * age-restricted, unavailable and unknown videos, links that are not YouTube's, rate limits (with
 * the wait the gateway asked for) and a gateway that is gone. Never a code, JSON or a stack.
 * Real Chromium, fenced to loopback; one screenshot per error under `test/artifacts/`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { BROWSER_TIMEOUT_MS, type FencedBrowser, launchFencedBrowser } from "../support/browser.ts";
import { CLIPBOARD_PERMISSIONS, pasteAndEnter, saveScreenshot } from "../support/people-page.ts";
import { type Stack, startStack } from "../support/stack.ts";

let fenced: FencedBrowser;
const pageErrors: string[] = [];

beforeAll(async () => {
  fenced = await launchFencedBrowser({
    viewport: { width: 800, height: 700 },
    permissions: CLIPBOARD_PERMISSIONS,
  });
}, BROWSER_TIMEOUT_MS);

afterAll(() => fenced?.close());

async function openPage(stack: Stack): Promise<Page> {
  const page = await fenced.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(stack.gateway.url.href);
  await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "url");
  return page;
}

/** Submits `link` and returns the alert's text once the page has shown one. */
async function alertFor(page: Page, link: string): Promise<string> {
  await pasteAndEnter(page, link);
  const alert = page.getByRole("alert");
  await page.waitForFunction(() => (document.querySelector("[role=alert]")?.textContent ?? "") !== "");
  return (await alert.textContent()) ?? "";
}

/** What a person should never be shown: error codes, JSON, stack frames, HTTP jargon. */
function expectPlainWords(text: string): void {
  expect(text).not.toMatch(/\b[A-Z]+_[A-Z_]+\b/);
  expect(text).not.toMatch(/[{}[\]]/);
  expect(text).not.toMatch(/\bat \S+ \(|Error:|\b(HTTP|status)\s*[45]\d\d\b|undefined|null/i);
  expect(text.length).toBeGreaterThan(20);
}

describe("videos and links that cannot be downloaded", () => {
  let stack: Stack;
  let page: Page;
  beforeAll(async () => {
    stack = await startStack();
    page = await openPage(stack);
  }, BROWSER_TIMEOUT_MS);
  afterAll(() => stack?.stop());

  test.each([
    ["private", `https://www.youtube.com/watch?v=${VIDEO_IDS.private}`, /this video is private/i],
    ["age-restricted", `https://youtu.be/${VIDEO_IDS.ageRestricted}`, /age-restricted/i],
    ["unavailable", VIDEO_IDS.rental, /not available/i],
    ["unknown", `https://www.youtube.com/watch?v=${VIDEO_IDS.notFound}`, /no video at this link/i],
    ["not-youtube", "https://example.com/watch?v=Plain000001", /does not look like a YouTube video link/i],
    ["not-a-link", "my favourite song", /does not look like a YouTube video link/i],
    ["origin-failing", VIDEO_IDS.failingWatch, /YouTube did not answer/i],
  ])(
    "%s: the alert says so in words",
    async (name, link, expected) => {
      const text = await alertFor(page, link);
      expect(text).toMatch(expected);
      expectPlainWords(text);
      expect(await page.locator("#result").isHidden()).toBe(true);
      // Focus is back in the field, ready for another link.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("url");
      await saveScreenshot(page, `error-${name}`);
    },
    BROWSER_TIMEOUT_MS,
  );

  test(
    "a live broadcast: the video is shown, with no choices and an alert saying why",
    async () => {
      const text = await alertFor(page, VIDEO_IDS.liveNow);
      expect(text).toMatch(/live stream/i);
      expectPlainWords(text);
      expect(await page.getByRole("heading", { level: 2 }).isVisible()).toBe(true);
      expect(await page.locator("#choices .choice").count()).toBe(0);
      await saveScreenshot(page, "error-live");
    },
    BROWSER_TIMEOUT_MS,
  );

  test(
    "an empty field asks for a link, and a good link afterwards clears the alert",
    async () => {
      expect(await alertFor(page, "")).toMatch(/paste a video link/i);
      await pasteAndEnter(page, VIDEO_IDS.plain);
      await page.getByRole("heading", { level: 2 }).waitFor();
      expect(await page.getByRole("alert").textContent()).toBe("");
    },
    BROWSER_TIMEOUT_MS,
  );
});

describe("a busy gateway, then a gateway that is gone", () => {
  let stack: Stack;
  let page: Page;
  beforeAll(async () => {
    // One lookup per window: the second is refused with 429 and a Retry-After.
    stack = await startStack({ DOWNTUBE_RATE_LIMIT_METADATA: "1", DOWNTUBE_RATE_LIMIT_WINDOW_S: "600" });
    page = await openPage(stack);
  }, BROWSER_TIMEOUT_MS);
  afterAll(() => stack?.stop());

  test(
    "rate limited: the alert says how many seconds to wait, as Retry-After said",
    async () => {
      await pasteAndEnter(page, VIDEO_IDS.plain);
      await page.getByRole("heading", { level: 2 }).waitFor();

      const refused = page.waitForResponse((r) => new URL(r.url()).pathname === "/graphql");
      const text = await alertFor(page, VIDEO_IDS.cipher);
      const answer = await refused;
      expect(answer.status()).toBe(429);
      const retryAfter = (await answer.allHeaders())["retry-after"];
      expect(retryAfter).toMatch(/^\d+$/);
      expect(text).toContain(`Try again in ${retryAfter} s`);
      expectPlainWords(text);
      await saveScreenshot(page, "error-rate-limited");
    },
    BROWSER_TIMEOUT_MS,
  );

  test(
    "gateway down: the alert says it cannot be reached",
    async () => {
      await stack.gateway.stop();
      const text = await alertFor(page, VIDEO_IDS.plain);
      expect(text).toMatch(/cannot be reached/i);
      expectPlainWords(text);
      await saveScreenshot(page, "error-gateway-down");
    },
    BROWSER_TIMEOUT_MS,
  );
});

test("no script errors, and nothing requested beyond loopback", () => {
  expect(pageErrors).toEqual([]);
  expect(fenced.blocked).toEqual([]);
});
