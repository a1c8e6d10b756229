import { checkServerIdentity } from "node:tls";
import { UpstreamError } from "../../core/errors.ts";
import { hostOf, portOf } from "../../core/host-rule.ts";
import { formatIp, type IpAddress, parseIp } from "../../core/ip-address.ts";
import type { NameResolver } from "../../core/ports.ts";
import { untilAborted } from "../until-aborted.ts";
import type { AddressPolicy } from "./address-policy.ts";
import type { UrlPolicy } from "./url-policy.ts";

/** The platform fetch, with Bun's `tls` options (SNI and certificate checks for a pinned address). */
export type PinnedTransport = (input: string, init: BunFetchRequestInit) => Promise<Response>;

/**
 * One checked hop: where the connection goes (an address that passed the policy) and what the
 * origin is told (Host, SNI). Everything a proxy needs to fetch the same bytes without resolving
 * the name again (nginx offload: `proxy_pass` to `connectUrl`, `Host: hostHeader`,
 * `proxy_ssl_name serverName`).
 */
export interface PinnedTarget {
  /** The URL as the user (or a redirect) named it. */
  readonly url: URL;
  /** The checked address, canonical text (no brackets). */
  readonly address: string;
  /** The media URL with its host replaced by `address` (IPv6 in brackets) and the port written out. */
  readonly connectUrl: string;
  /** The `Host` header to send: the name (and port when not the scheme's default). */
  readonly hostHeader: string;
  /** TLS name for SNI and the certificate check; undefined for http and for an address literal. */
  readonly serverName: string | undefined;
}

export interface PinnedFetchDeps {
  readonly fetch: PinnedTransport;
  readonly resolve: NameResolver;
  readonly urls: UrlPolicy;
  readonly addresses: AddressPolicy;
  /** Redirects followed by hand, each hop checked again; one more is an `UpstreamError`. */
  readonly maxRedirects: number;
}

/** A request to an origin of the direct-URL source. */
export interface PinnedRequest {
  readonly method: "GET" | "HEAD";
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

/** Connections that go only where the policies allow, to the very address that was checked. */
export interface PinnedFetch {
  /**
   * Checks `url` (scheme, credentials, host, port) and every address its host resolves to.
   * @throws UnsupportedUrlError, ForbiddenAddressError (before any connection), UpstreamError
   *   when the name does not resolve.
   */
  pin(url: URL, signal: AbortSignal): Promise<PinnedTarget>;
  /**
   * Sends the request to the pinned address, following up to `maxRedirects` redirects by hand,
   * each target pinned again. Resolves with the first answer that is not a redirect.
   * Throws what `pin` throws, `UpstreamError` for a redirect too many or without `Location`,
   * and the transport's own error when the connection fails.
   */
  request(url: string | URL, init: PinnedRequest): Promise<{ response: Response; target: PinnedTarget }>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Builds the {@link PinnedFetch} of the direct-URL source from its two policies and the platform. */
export function createPinnedFetch(deps: PinnedFetchDeps): PinnedFetch {
  const addressesOf = async (host: string, signal: AbortSignal): Promise<IpAddress[]> => {
    const literal = parseIp(host);
    if (literal !== undefined) return [literal];
    let answers: readonly string[];
    try {
      answers = await untilAborted(deps.resolve(host, signal), signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new UpstreamError("the media host's name does not resolve", { cause: error });
    }
    const parsed = answers.map(parseIp);
    if (parsed.length === 0) throw new UpstreamError("the media host's name does not resolve");
    return parsed.map((ip) => {
      if (ip === undefined) throw new UpstreamError("the media host's name resolved to something unreadable");
      return ip;
    });
  };

  const pin = async (url: URL, signal: AbortSignal): Promise<PinnedTarget> => {
    const checkedUrl = deps.urls.check(url);
    const host = hostOf(checkedUrl);
    // Every address is checked, not only the one used: a name that also points inside is refused.
    const [chosen] = (await addressesOf(host, signal)).map((ip) => deps.addresses.check(ip));
    if (chosen === undefined) throw new UpstreamError("the media host's name does not resolve");
    const address = formatIp(chosen);
    const port = portOf(checkedUrl);
    const written = checkedUrl.port === "" ? "" : `:${port}`;
    return {
      url: checkedUrl,
      address,
      connectUrl: `${checkedUrl.protocol}//${chosen.family === 6 ? `[${address}]` : address}:${port}${checkedUrl.pathname}${checkedUrl.search}`,
      hostHeader: `${host}${written}`,
      serverName: checkedUrl.protocol === "https:" && parseIp(host) === undefined ? host : undefined,
    };
  };

  const send = (target: PinnedTarget, init: PinnedRequest): Promise<Response> => {
    const name = hostOf(target.url);
    return deps.fetch(target.connectUrl, {
      method: init.method,
      // Identity: Content-Length must count the bytes we pass on, not a compressed transfer.
      headers: { ...init.headers, Host: target.hostHeader, "Accept-Encoding": "identity" },
      redirect: "manual",
      signal: init.signal,
      // The connection goes to the checked address; the certificate must still be the name's.
      ...(target.url.protocol === "https:"
        ? {
            tls: {
              rejectUnauthorized: true,
              ...(target.serverName === undefined ? {} : { serverName: target.serverName }),
              checkServerIdentity: (_connected: string, cert) => checkServerIdentity(name, cert),
            },
          }
        : {}),
    });
  };

  return {
    pin,
    async request(url, init) {
      let target = await pin(typeof url === "string" ? new URL(url) : url, init.signal);
      for (let hop = 0; ; hop++) {
        const response = await send(target, init);
        if (!REDIRECTS.has(response.status)) return { response, target };
        // The redirect's own body and headers go no further than this loop.
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get("location");
        if (location === null) throw new UpstreamError("the media origin redirected without a Location");
        if (hop >= deps.maxRedirects)
          throw new UpstreamError(`the media origin redirected more than ${deps.maxRedirects} times`);
        let next: URL;
        try {
          next = new URL(location, target.url);
        } catch (error) {
          throw new UpstreamError("the media origin redirected to an invalid URL", { cause: error });
        }
        target = await pin(next, init.signal);
      }
    },
  };
}
