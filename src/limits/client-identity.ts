import { isIP } from "node:net";
import type { ApiKeys } from "./api-keys.ts";

/** Who a request is from, for rate limits and stream slots. */
export interface Client {
  /** `key:<id>` for a request with a valid API key, `ip:<address>` otherwise. */
  readonly id: string;
  /** The id of the API key it presented, if any. */
  readonly apiKeyId: string | undefined;
}

export interface ProxyTrust {
  /** Whether a trusted reverse proxy stands in front (then `X-Forwarded-For` is read). */
  readonly trustProxy: boolean;
  /** How many trusted proxies stand in line in front of the gateway. @default 1 */
  readonly trustedProxyHops?: number;
}

/**
 * The address the nearest trusted proxy saw: each proxy appends the address it received the
 * request from, so with `hops` proxies the client is the `hops`-th entry from the right. What is
 * further left was written by the client itself and is never believed. Undefined when that entry
 * is missing or is not an IP address.
 */
export function forwardedClient(header: string | null, hops: number): string | undefined {
  if (header === null) return undefined;
  const entries = header
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const entry = entries[entries.length - hops];
  return entry !== undefined && isIP(entry) !== 0 ? entry : undefined;
}

/**
 * Identifies a request's client: by its API key when it presents one (throws
 * `UnauthenticatedError` for an unknown key), else by its address: behind a trusted proxy, the
 * one the proxy saw (see {@link forwardedClient}), else the connection's peer.
 */
export function identifyClient(
  request: Request,
  peerAddress: string,
  options: { apiKeys: ApiKeys } & ProxyTrust,
): Client {
  const apiKeyId = options.apiKeys.identify(request.headers.get("authorization"));
  if (apiKeyId !== undefined) return { id: `key:${apiKeyId}`, apiKeyId };
  const forwarded = options.trustProxy
    ? forwardedClient(request.headers.get("x-forwarded-for"), options.trustedProxyHops ?? 1)
    : undefined;
  return { id: `ip:${forwarded ?? peerAddress}`, apiKeyId: undefined };
}
