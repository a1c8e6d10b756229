/**
 * Where the bytes of a format are, as a source itself would connect to them: the piece of a
 * download plan a proxy in front of the gateway (nginx, `DOWNTUBE_OFFLOAD=nginx`) needs to fetch
 * them. It is resolved by the source (YouTube's media URL after its redirects; a direct-URL
 * source's checked address), never taken from anything a client sent.
 */
export interface MediaLocation {
  readonly scheme: "http" | "https";
  /**
   * What to connect to: `host:port`, where host is an IP address (`[…]` for IPv6) or a DNS name
   * the proxy resolves itself.
   */
  readonly address: string;
  /** The `Host` header (and TLS server name) to send. */
  readonly host: string;
  /** Path and query of the request, starting with `/`, as the origin expects them. */
  readonly path: string;
}

const ADDRESS = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$/;
// Path characters a proxy passes on unchanged: nginx decodes percent-escapes of an internal
// redirect's path, so a path that has any is served by the gateway instead.
const PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/;
const QUERY = /^[\x21-\x7e]*$/;

/** The location of a URL the gateway would itself fetch (default port of its scheme filled in). */
export function locationOfUrl(url: URL): MediaLocation | undefined {
  const scheme = url.protocol === "https:" ? "https" : url.protocol === "http:" ? "http" : undefined;
  if (scheme === undefined) return undefined;
  const port = url.port || (scheme === "https" ? "443" : "80");
  return { scheme, address: `${url.hostname}:${port}`, host: url.host, path: url.pathname + url.search };
}

/**
 * True when every part of `location` can be written into a proxy's internal URI without any
 * escaping: no spaces, no control characters, no percent-escapes in the path, no `..` segment.
 */
export function isProxiable(location: MediaLocation): boolean {
  const queryAt = location.path.indexOf("?");
  const path = queryAt === -1 ? location.path : location.path.slice(0, queryAt);
  const query = queryAt === -1 ? "" : location.path.slice(queryAt + 1);
  return (
    ADDRESS.test(location.address) &&
    HOST.test(location.host) &&
    PATH.test(path) &&
    !path.split("/").includes("..") &&
    QUERY.test(query)
  );
}
