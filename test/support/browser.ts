/**
 * A real browser with no internet for the browser tests: Debian's Chromium, driven by
 * playwright-core, headless. Every request its context makes beyond loopback is aborted and
 * recorded in `blocked`, so a test can assert that a page fetched nothing from a CDN.
 */
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from "playwright-core";
import { isLoopbackHost } from "./loopback.ts";

/** Chromium starts slowly on a loaded machine. */
export const BROWSER_TIMEOUT_MS = 60_000;

export interface FencedBrowser {
  readonly browser: Browser;
  /** The one context, fenced to loopback, with `BROWSER_TIMEOUT_MS` as its default timeout. */
  readonly context: BrowserContext;
  /** Requests the browser tried to send beyond loopback (all aborted). */
  readonly blocked: string[];
  close(): Promise<void>;
}

/** Launches `/usr/bin/chromium` and opens a context whose requests may only reach loopback. */
export async function launchFencedBrowser(
  contextOptions: BrowserContextOptions = {},
): Promise<FencedBrowser> {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const blocked: string[] = [];
  try {
    const context = await browser.newContext(contextOptions);
    context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (isLoopbackHost(url.hostname)) return route.continue();
      blocked.push(url.href);
      return route.abort("blockedbyclient");
    });
    return { browser, context, blocked, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
