import { createHash } from "node:crypto";
import type { DownloadAttempt } from "../core/download-attempt.ts";
import { isProxiable, type MediaLocation } from "../core/media-location.ts";

/**
 * The gateway's side of the contract with nginx (`nginx-config.ts` is the other): the internal
 * URIs an `X-Accel-Redirect` may name. Every part is one the gateway resolved; a client's input
 * never reaches them.
 */
export const INTERNAL_PREFIX = "/_downtube/";

/**
 * The internal location that fetches the bytes of each attempt: the first try, or the one after
 * a refresh (whose refusal is final).
 */
export const ATTEMPT_LOCATIONS = { download: "fetch", refresh: "refetch" } as const satisfies Record<
  DownloadAttempt,
  string
>;

/** Where nginx hands a download back when the origin refuses its media URL (403/410). */
export const REFRESH_PREFIX = `${INTERNAL_PREFIX}refresh`;

const ETAG_TOKEN = /^[A-Za-z0-9._-]+$/;

const hasControlCharacter = (text: string) =>
  [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** What nginx needs of a download besides where its bytes are: only the gateway knows these. */
export interface RedirectDetails {
  /** The ETag nginx answers with: a strong validator, with its quotes. */
  readonly etag: string;
  /** The Content-Disposition nginx answers with. */
  readonly contentDisposition: string;
  /** Who the download is for (`Client.id`): nginx counts the streams it carries per client. */
  readonly clientId: string;
}

/**
 * The client's id as nginx sees it: a digest, so neither an address nor an API key's id reaches
 * nginx's logs, and no character of it needs escaping. 128 bits: two clients never share one.
 */
export function clientKeyOf(clientId: string): string {
  return createHash("sha256").update(clientId).digest().subarray(0, 16).toString("base64url");
}

/**
 * `/_downtube/<attempt>/<client>/<scheme>/<address>/<host>/<etag>/<disposition>/<path>?<query>`:
 * whose stream it is (see {@link clientKeyOf}), what nginx connects to, the Host it sends, the
 * strong ETag (without its quotes) and the Content-Disposition it answers with, and the origin's
 * own path and query, verbatim.
 *
 * nginx decodes the percent-escapes of an X-Accel-Redirect path once (not of its query), so the
 * disposition is percent-encoded once here to arrive exactly, while the origin's path must have
 * none. The gateway's headers travel in the URI rather than on its answer because nginx would
 * keep headers of that answer on its own error pages too (a JSON error saved as a video).
 * Undefined when some part cannot be written there (the gateway then serves the download).
 */
export function internalUriOf(
  attempt: DownloadAttempt,
  location: MediaLocation,
  details: RedirectDetails,
): string | undefined {
  const token = /^"(.*)"$/.exec(details.etag)?.[1];
  const disposition = details.contentDisposition;
  if (token === undefined || !ETAG_TOKEN.test(token) || !isProxiable(location)) return undefined;
  // A decoded "/" would split the segment; sanitized file names never hold one.
  if (disposition.includes("/") || hasControlCharacter(disposition)) return undefined;
  const { scheme, address, host, path } = location;
  const client = clientKeyOf(details.clientId);
  const segments = [
    ATTEMPT_LOCATIONS[attempt],
    client,
    scheme,
    address,
    host,
    token,
    encodeURIComponent(disposition),
  ];
  return `${INTERNAL_PREFIX}${segments.join("/")}${path}`;
}
