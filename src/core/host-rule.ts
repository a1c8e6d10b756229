/** One entry of `DOWNTUBE_HTTP_SOURCE_HOSTS`: an exact host or `*.suffix`, maybe with a port. */
export interface HostRule {
  /** Lower-case host (`media.example.com`, `127.0.0.1`, `[::1]`) or suffix after `*.`. */
  readonly host: string;
  readonly wildcard: boolean;
  /** A port this rule opens besides 80 and 443. */
  readonly port: number | undefined;
}

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
