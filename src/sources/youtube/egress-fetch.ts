import type { YouTubeCookies } from "./cookie-file.ts";
import type { Egress } from "./egress-pool.ts";
import type { PoToken } from "./po-tokens.ts";

/** The platform fetch, with Bun's `proxy` option for egress proxies. */
export type EgressFetch = (input: string, init: RequestInit & { proxy?: string }) => Promise<Response>;

/**
 * The platform fetch through `egress` (its proxy, if any), with the cookies of each URL's own
 * domain: every YouTube request, metadata and media, goes out this way.
 */
export function fetchThrough(
  fetch: EgressFetch,
  egress: Egress,
  cookies: YouTubeCookies | undefined,
): EgressFetch {
  return async (url, init) => {
    const headers = new Headers(init.headers);
    const cookie = await cookies?.headerFor(url);
    if (cookie !== undefined) headers.set("cookie", cookie);
    const proxy = egress.proxy === undefined ? {} : { proxy: egress.proxy };
    return fetch(url, { ...init, headers, ...proxy });
  };
}

/** `url` with the PO token as `pot`, as YouTube's own players send it with every media request. */
export function withPot(url: string, token: PoToken | undefined): string {
  if (token === undefined || !URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.searchParams.has("pot")) return url;
  return `${url}${parsed.search === "" ? "?" : "&"}pot=${encodeURIComponent(token.token)}`;
}

/** Whether a media URL carries a PO token. */
export function hasPot(url: string): boolean {
  return URL.canParse(url) && new URL(url).searchParams.has("pot");
}
