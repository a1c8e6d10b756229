import { readFile, stat } from "node:fs/promises";
import { describeError, type Logger } from "../../core/logger.ts";
import {
  type Cookie,
  CookiesFileError,
  cookieHeaderFor,
  parseNetscapeCookies,
} from "../../core/netscape-cookies.ts";
import type { Clock } from "../../core/ports.ts";

/** The cookies YouTube requests carry. */
export interface YouTubeCookies {
  /** The `Cookie` header for `url` (domain, path, secure and expiry matched), or undefined. */
  headerFor(url: string): Promise<string | undefined>;
}

export interface CookieFileOptions {
  /** `DOWNTUBE_YOUTUBE_COOKIES_FILE`: a Netscape cookies.txt (checked once at start-up by the config). */
  readonly path: string;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Cookies from a Netscape cookies.txt, read again whenever the file changes (its size, time or
 * inode): an operator replaces an exported file without a restart. A new version that does not
 * parse is refused with a warning naming the line, and the last good cookies stay in use. Values
 * are never logged.
 */
export function createCookieFile(options: CookieFileOptions): YouTubeCookies {
  const { path, log } = options;
  let version = "";
  let cookies: readonly Cookie[] = [];
  let reading: Promise<void> | undefined;

  const refresh = async (): Promise<void> => {
    let seen: string;
    try {
      const info = await stat(path);
      seen = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch (error) {
      if (version !== "gone")
        log.warn("cannot read the YouTube cookies file; keeping the cookies read before", {
          path,
          ...describeError(error),
        });
      version = "gone";
      return;
    }
    if (seen === version) return;
    version = seen;
    try {
      cookies = parseNetscapeCookies(await readFile(path, "utf8"));
      log.info("YouTube cookies read", { path, cookies: cookies.length });
    } catch (error) {
      const problem =
        error instanceof CookiesFileError || error instanceof Error ? error.message : String(error);
      log.warn("the YouTube cookies file changed and does not parse; keeping the cookies read before", {
        path,
        problem,
      });
    }
  };

  return {
    async headerFor(url) {
      // Concurrent requests share one look at the file.
      reading ??= refresh().finally(() => {
        reading = undefined;
      });
      await reading;
      return cookieHeaderFor(cookies, new URL(url), options.clock());
    },
  };
}
