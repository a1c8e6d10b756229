/**
 * The Netscape `cookies.txt` format that browser exporters and yt-dlp write: one cookie a line,
 * seven tab-separated fields (domain, include subdomains, path, secure, expiry in Unix seconds
 * with 0 for a session cookie, name, value). `#` starts a comment, except `#HttpOnly_`, which
 * marks an HttpOnly cookie's line.
 */

/** One cookie of a cookies file. */
export interface Cookie {
  /** Lower-case host or domain, without a leading dot. */
  readonly domain: string;
  /** True: the domain's subdomains get it too. */
  readonly includeSubdomains: boolean;
  readonly path: string;
  /** True: sent over https only. */
  readonly secure: boolean;
  /** Unix seconds after which it is no longer sent; 0: never expires (session cookie). */
  readonly expiresAt: number;
  readonly name: string;
  readonly value: string;
}

/** A cookies file that does not parse; `line` is 1-based. The message never quotes a value. */
export class CookiesFileError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = "CookiesFileError";
  }
}

const FLAG = /^(TRUE|FALSE)$/i;
// What a Cookie header can carry inside a name or value: RFC 6265's cookie-octets (printable
// ASCII but space, double quote, comma, semicolon and backslash).
const COOKIE_OCTETS = /^[!#$%&'()*+\-./0-9:<=>?@A-Z[\]^_`a-z{|}~]*$/;
const HTTP_ONLY = "#HttpOnly_";

function parseLine(text: string, line: number): Cookie {
  const fields = text.split("\t");
  if (fields.length !== 7) {
    throw new CookiesFileError(
      line,
      `expected 7 tab-separated fields (domain, subdomains, path, secure, expiry, name, value), found ${fields.length}`,
    );
  }
  const [domain = "", subdomains = "", path = "", secure = "", expiry = "", name = "", value = ""] = fields;
  const host = domain.trim().toLowerCase().replace(/^\./, "");
  if (!/^[a-z0-9.-]+$/.test(host)) throw new CookiesFileError(line, "the domain is not a host name");
  if (!FLAG.test(subdomains) || !FLAG.test(secure)) {
    throw new CookiesFileError(line, "the subdomains and secure fields must be TRUE or FALSE");
  }
  if (!path.startsWith("/")) throw new CookiesFileError(line, "the path must start with /");
  if (!/^\d+(\.\d+)?$/.test(expiry)) {
    throw new CookiesFileError(line, "the expiry must be Unix seconds (0 for a session cookie)");
  }
  if (name === "" || !COOKIE_OCTETS.test(name) || name.includes("=")) {
    throw new CookiesFileError(
      line,
      "the cookie name is empty or has characters a Cookie header cannot carry",
    );
  }
  if (!COOKIE_OCTETS.test(value)) {
    throw new CookiesFileError(line, "the cookie value has characters a Cookie header cannot carry");
  }
  return {
    domain: host,
    includeSubdomains: subdomains.toUpperCase() === "TRUE",
    path,
    secure: secure.toUpperCase() === "TRUE",
    expiresAt: Math.floor(Number(expiry)),
    name,
    value,
  };
}

/** Parses a cookies file. Throws `CookiesFileError` naming the first bad line. */
export function parseNetscapeCookies(text: string): Cookie[] {
  const cookies: Cookie[] = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") continue;
    if (line.startsWith(HTTP_ONLY)) cookies.push(parseLine(line.slice(HTTP_ONLY.length), index + 1));
    else if (!line.startsWith("#")) cookies.push(parseLine(line, index + 1));
  }
  return cookies;
}

function domainMatches(cookie: Cookie, host: string): boolean {
  if (host === cookie.domain) return true;
  return cookie.includeSubdomains && host.endsWith(`.${cookie.domain}`);
}

function pathMatches(cookie: Cookie, path: string): boolean {
  if (path === cookie.path || cookie.path === "/") return true;
  const prefix = cookie.path.endsWith("/") ? cookie.path : `${cookie.path}/`;
  return path.startsWith(prefix);
}

/**
 * The `Cookie` header a browser would send to `url`: cookies whose domain, path and secure flag
 * match and that have not expired at `nowMs`, longest path first. Undefined when none match.
 */
export function cookieHeaderFor(cookies: readonly Cookie[], url: URL, nowMs: number): string | undefined {
  const host = url.hostname.toLowerCase();
  const matching = cookies.filter(
    (cookie) =>
      domainMatches(cookie, host) &&
      pathMatches(cookie, url.pathname) &&
      (!cookie.secure || url.protocol === "https:") &&
      (cookie.expiresAt === 0 || cookie.expiresAt * 1000 > nowMs),
  );
  if (matching.length === 0) return undefined;
  return matching
    .toSorted((a, b) => b.path.length - a.path.length)
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join("; ");
}
