import { UpstreamError } from "../../core/errors.ts";
import type { YouTubeCookies } from "./cookie-file.ts";
import type { ExtractionFetch } from "./youtube-extractor.ts";

/** Hosts YouTube's pages, API and media live on (a redirect may only lead to one of them). */
const YOUTUBE_DOMAINS = ["youtube.com", "youtube-nocookie.com", "googlevideo.com", "ytimg.com"];
const YOUTUBE_API_HOSTS = new Set(["youtubei.googleapis.com"]);

/** Redirects one metadata request may follow before it is refused. */
const MAX_REDIRECTS = 5;

function isYouTubeHost(host: string): boolean {
  const name = host.toLowerCase();
  return YOUTUBE_API_HOSTS.has(name) || YOUTUBE_DOMAINS.some((d) => name === d || name.endsWith(`.${d}`));
}

/**
 * Where a YouTube URL is fetched from: unchanged, or with scheme and host swapped for `origin`
 * (same path and query) when `DOWNTUBE_YOUTUBE_ORIGIN` is set.
 */
export function routeToOrigin(url: string, origin: URL | undefined): string {
  if (origin === undefined) return url;
  const target = new URL(url);
  return new URL(target.pathname + target.search, origin).toString();
}

export interface YouTubeFetchOptions {
  /** The platform fetch. */
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** `DOWNTUBE_YOUTUBE_ORIGIN`: where every request goes instead of YouTube's hosts. */
  readonly origin: URL | undefined;
  /** Cookies for YouTube's domains (`DOWNTUBE_YOUTUBE_COOKIES_FILE`), matched per request. */
  readonly cookies?: YouTubeCookies;
}

/**
 * The URL whose cookies a request gets: its own, except for the InnerTube API host (which YouTube
 * clients send the youtube.com cookies to) and the simulated origin (which stands for YouTube).
 */
function cookieUrlOf(url: URL, origin: URL | undefined): string {
  if (YOUTUBE_API_HOSTS.has(url.hostname) || (origin !== undefined && url.origin === origin.origin)) {
    return `https://www.youtube.com${url.pathname}${url.search}`;
  }
  return url.href;
}

/**
 * `init` with the extractor's own Cookie header replaced by the cookies of `cookieUrl` (or none):
 * cookies only ever go where their domain says.
 */
async function withCookies(init: RequestInit, cookieUrl: string, cookies: YouTubeCookies | undefined) {
  const headers = new Headers(init.headers);
  headers.delete("cookie");
  const header = await cookies?.headerFor(cookieUrl);
  if (header !== undefined) headers.set("cookie", header);
  return { ...init, headers };
}

/**
 * The one fetch every extractor's metadata request goes through: each URL must be YouTube's
 * (https, a YouTube host) or the configured origin itself, is routed to the origin when one is
 * set, and redirects are followed here, by hand, with every hop checked the same way (the
 * platform fetch would follow a 302 anywhere). Each hop carries the cookies of its own URL and no
 * other. Timeouts come with the caller's `init.signal`.
 * Throws `UpstreamError` for a URL or a hop that leaves YouTube, or too many redirects.
 */
export function createYouTubeFetch(options: YouTubeFetchOptions): ExtractionFetch {
  const { origin } = options;
  /** Where a request goes and whose cookies it gets; throws for a URL that is not YouTube's. */
  const check = (href: string, base?: string): { target: string; cookieUrl: string } => {
    if (!URL.canParse(href, base)) throw new UpstreamError("refused a YouTube request to a malformed URL");
    const url = new URL(href, base);
    if (origin !== undefined && url.origin === origin.origin) {
      return { target: url.toString(), cookieUrl: cookieUrlOf(url, origin) };
    }
    if (url.protocol !== "https:" || !isYouTubeHost(url.hostname) || url.username || url.password) {
      throw new UpstreamError(
        `refused a YouTube request to ${url.protocol}//${url.host}: not a YouTube host`,
      );
    }
    return { target: routeToOrigin(url.toString(), origin), cookieUrl: cookieUrlOf(url, origin) };
  };

  return async (input, init) => {
    let { target, cookieUrl } = check(input);
    let request: RequestInit = { ...init, redirect: "manual" };
    for (let hop = 0; ; hop++) {
      const response = await options.fetch(target, await withCookies(request, cookieUrl, options.cookies));
      const location = response.headers.get("location");
      if (response.status < 300 || response.status > 399 || location === null) return response;
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS)
        throw new UpstreamError(`YouTube redirected more than ${MAX_REDIRECTS} times`);
      ({ target, cookieUrl } = check(location, target));
      // 307 and 308 repeat the request as it was; the other redirects turn it into a plain GET.
      if (response.status !== 307 && response.status !== 308) {
        const { body: _body, method: _method, ...rest } = request;
        request = { ...rest, method: "GET" };
      }
    }
  };
}
