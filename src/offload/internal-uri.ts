import { isProxiable, type MediaLocation } from "../core/media-location.ts";

/**
 * The gateway's side of the contract with nginx (`nginx-config.ts` is the other): the internal
 * URIs an `X-Accel-Redirect` may name. Every part is one the gateway resolved; a client's input
 * never reaches them.
 */
export const INTERNAL_PREFIX = "/_downtube/";

/** Which internal location fetches the bytes: the first try, or the one after a refresh. */
export type FetchAttempt = "fetch" | "refetch";

/** Where nginx hands a download back when the origin refuses its media URL (403/410). */
export const REFRESH_PREFIX = `${INTERNAL_PREFIX}refresh`;

const ETAG_TOKEN = /^[A-Za-z0-9._-]+$/;

/**
 * `/_downtube/<attempt>/<scheme>/<address>/<host>/<etag>/<path>?<query>`: what nginx connects to,
 * the Host it sends, the strong ETag it answers with (without its quotes) and the origin's own
 * path and query, verbatim. Undefined when some part cannot be written there unescaped (the
 * gateway then serves the download itself).
 */
export function internalUriOf(
  attempt: FetchAttempt,
  location: MediaLocation,
  etag: string,
): string | undefined {
  const token = /^"(.*)"$/.exec(etag)?.[1];
  if (token === undefined || !ETAG_TOKEN.test(token) || !isProxiable(location)) return undefined;
  const { scheme, address, host, path } = location;
  return `${INTERNAL_PREFIX}${attempt}/${scheme}/${address}/${host}/${token}${path}`;
}
