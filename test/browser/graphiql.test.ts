/**
 * GraphiQL in a real browser with no internet: Debian's Chromium, driven by playwright-core, opens
 * the gateway's playground and runs a query against the simulated YouTube. The browser is fenced
 * too: every request it makes beyond loopback is aborted and recorded, and the last test asserts
 * there was none, so a script or font fetched from a CDN fails the run.
 *
 * The tests share one page and run in order: load, run a query, then the audits of what loaded.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdir } from "node:fs/promises";
import type { Page, Response } from "playwright-core";
import { catalogVideo, VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { BROWSER_TIMEOUT_MS, type FencedBrowser, launchFencedBrowser } from "../support/browser.ts";
import { type Stack, startStack } from "../support/stack.ts";

/** Monaco starts its workers within a second of the page loading. */
const WORKER_TIMEOUT_MS = 15_000;
const SCREENSHOT = new URL("../artifacts/graphiql.png", import.meta.url);

const plain = catalogVideo(VIDEO_IDS.plain);
if (plain === undefined) throw new Error(`catalog has no ${VIDEO_IDS.plain}`);
const QUERY = `{ video(url: "${VIDEO_IDS.plain}") { title author { name } } }`;

let stack: Stack;
/** Chromium, fenced to loopback; GraphiQL's script is ~9 MB before gzip, hence its long timeout. */
let fenced: FencedBrowser;
let page: Page;
/** Uncaught exceptions in the page. */
const pageErrors: string[] = [];
/** Every response the page received, for the header audits. */
const responses: Response[] = [];
/** Monaco's editor, JSON and GraphQL language workers, served by the gateway. */
const WORKER_FILES = ["editor.worker.js", "json.worker.js", "graphql.worker.js"];
/** The worker files that started, once each has started or given up waiting. */
let workersStarted: Promise<(string | undefined)[]>;
/** The answer to the page itself. */
let pageResponse: Response | null = null;

beforeAll(async () => {
  stack = await startStack();
  // Wide enough that the result pane does not wrap the title's line.
  fenced = await launchFencedBrowser({ viewport: { width: 1600, height: 900 } });
  page = await fenced.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("response", (response) => responses.push(response));
  workersStarted = Promise.all(
    WORKER_FILES.map((name) =>
      page
        .waitForEvent("worker", {
          predicate: (worker) => worker.url().endsWith(`/${name}`),
          timeout: WORKER_TIMEOUT_MS,
        })
        .then(
          () => name,
          () => undefined,
        ),
    ),
  );
}, BROWSER_TIMEOUT_MS);

afterAll(async () => {
  await fenced?.close();
  await stack?.stop();
});

/** The one response whose URL path ends with `suffix`. */
function responseEndingWith(suffix: string): Response {
  const found = responses.filter((r) => new URL(r.url()).pathname.endsWith(suffix));
  expect(found.map((r) => r.url())).toHaveLength(1);
  return found[0] as Response;
}

test(
  "runs a query from the address bar and shows the video's title and channel",
  async () => {
    // GraphiQL reads `?query=` on load: more robust than typing into Monaco, which autocloses brackets.
    const url = new URL(stack.graphqlUrl);
    url.searchParams.set("query", QUERY);
    pageResponse = await page.goto(url.href);
    expect(pageResponse?.status()).toBe(200);
    expect(pageResponse?.headers()["content-type"]).toContain("text/html");

    const operation = page.getByRole("region", { name: "Operation Editor" });
    await operation.locator(".view-lines").getByText(`video(url: "${VIDEO_IDS.plain}")`).waitFor();
    // The name ends with the platform's shortcut ("Ctrl-Enter", "⌘-Enter").
    await page.getByRole("button", { name: /^Execute query/ }).click();

    // The result is pretty-printed JSON: the title appears as a JSON string, quotes escaped.
    const result = page.getByRole("region", { name: "Result Window" }).locator(".view-lines");
    await result.getByText(JSON.stringify(plain.title)).waitFor();
    await result.getByText(JSON.stringify(plain.channel.name)).waitFor();

    await mkdir(new URL(".", SCREENSHOT), { recursive: true });
    await page.screenshot({ path: Bun.fileURLToPath(SCREENSHOT) });
  },
  BROWSER_TIMEOUT_MS,
);

test("the page is small and its script comes gzipped and cached for good", async () => {
  expect(pageResponse).not.toBeNull();
  expect((await pageResponse?.body())?.byteLength).toBeLessThan(10_000);

  const script = responseEndingWith("/graphiql.js");
  expect(new URL(script.url()).pathname).toMatch(/^\/graphiql\/[^/]+\/graphiql\.js$/);
  const headers = await script.allHeaders();
  expect(headers["content-encoding"]).toBe("gzip");
  expect(headers["cache-control"]).toContain("immutable");
});

test(
  "the editor starts without script errors, with Monaco's workers",
  async () => {
    // Without its workers Monaco falls back to the main thread and GraphQL validation and
    // completion stop working, while queries still run: only this test notices.
    expect(pageErrors).toEqual([]);
    expect(await workersStarted).toEqual(WORKER_FILES);
  },
  BROWSER_TIMEOUT_MS,
);

test("the browser asked for nothing beyond loopback", () => {
  expect(fenced.blocked).toEqual([]);
});
