import { UnsupportedUrlError } from "../../core/errors.ts";

/** One entry of `DOWNTUBE_HTTP_SOURCE_HOSTS`: an exact host or `*.suffix`, maybe with a port. */
export interface HostRule {
  /** Lower-case host (`media.example.com`, `127.0.0.1`, `[::1]`) or suffix after `*.`. */
  readonly host: string;
  readonly wildcard: boolean;
  /** A port this rule opens besides 80 and 443. */
  readonly port: number | undefined;
}

/** Longest normalised URL the source takes: it travels inside the download token (4096 chars). */
export const MAX_MEDIA_URL_LENGTH = 2048;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { "http:": 80, "https:": 443 };

/** A URL host without the one trailing dot DNS allows (`example.com.` is `example.com`). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/\.$/, "");
}

/** The port a URL connects to, the scheme's default when none is written. */
export function portOf(url: URL): number {
  return url.port === "" ? (DEFAULT_PORTS[url.protocol] ?? 0) : Number(url.port);
}

/**
 * Parses one allow-list entry (`media.example.com`, `*.cdn.example.com`, `127.0.0.1:8080`,
 * `[::1]:8443`) through the same URL parser the requests go through, so both spell hosts alike.
 * Undefined when malformed (a path, credentials, a bare `*`).
 */
export function parseHostRule(entry: string): HostRule | undefined {
  const text = entry.trim().toLowerCase();
  const wildcard = text.startsWith("*.");
  let url: URL;
  try {
    url = new URL(`http://${wildcard ? text.slice(2) : text}`);
  } catch {
    return undefined; // not a host: the caller reports the entry
  }
  const host = hostOf(url);
  if (
    url.username !== "" ||
    url.password !== "" ||
    url.pathname !== "/" ||
    url.search !== "" ||
    url.hash !== ""
  )
    return undefined;
  const isName = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(host) && !/^[\d.]+$/.test(host);
  const isAddress = host.startsWith("[") || /^[\d.]+$/.test(host);
  if (!(isName || (isAddress && !wildcard))) return undefined;
  return { host, wildcard, port: url.port === "" ? undefined : Number(url.port) };
}

function matches(rule: HostRule, host: string): boolean {
  return rule.wildcard ? host.endsWith(`.${rule.host}`) : host === rule.host;
}

/** Which URLs the direct-URL source takes at all, before any address is looked at. */
export interface UrlPolicy {
  /** True when `input` is an absolute http(s) URL: this source's business, allowed or not. */
  claims(input: string): boolean;
  /**
   * The normalised URL if it may be fetched: http or https, no credentials, a listed host, port
   * 80, 443 or one its rule names, at most {@link MAX_MEDIA_URL_LENGTH} characters.
   * @throws UnsupportedUrlError naming what is refused; no request is ever made for it.
   */
  check(input: string | URL): URL;
}

/** The {@link UrlPolicy} of `DOWNTUBE_HTTP_SOURCE_HOSTS` (parsed with {@link parseHostRule}). */
export function createUrlPolicy(rules: readonly HostRule[]): UrlPolicy {
  return {
    claims: (input) => /^https?:\/\//i.test(input.trim()),

    check(input) {
      let url: URL;
      try {
        url = new URL(typeof input === "string" ? input.trim() : input.href);
      } catch (error) {
        throw new UnsupportedUrlError("not a valid URL", { cause: error });
      }
      if (url.protocol !== "http:" && url.protocol !== "https:")
        throw new UnsupportedUrlError("direct media URLs must be http or https");
      if (url.username !== "" || url.password !== "")
        throw new UnsupportedUrlError("media URLs with credentials are refused");
      const host = hostOf(url);
      const matching = rules.filter((rule) => matches(rule, host));
      if (matching.length === 0)
        throw new UnsupportedUrlError("this host is not on the gateway's list of media hosts");
      const port = portOf(url);
      if (port !== 80 && port !== 443 && !matching.some((rule) => rule.port === port))
        throw new UnsupportedUrlError("this port is not allowed for media URLs");
      url.hash = "";
      if (url.href.length > MAX_MEDIA_URL_LENGTH)
        throw new UnsupportedUrlError(`media URLs may have at most ${MAX_MEDIA_URL_LENGTH} characters`);
      return url;
    },
  };
}
