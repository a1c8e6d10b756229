import type { ApiKeys } from "./api-keys.ts";

/** Who a request is from, for rate limits and stream slots. */
export interface Client {
  /** `key:<id>` for a request with a valid API key, `ip:<address>` otherwise. */
  readonly id: string;
  /** The id of the API key it presented, if any. */
  readonly apiKeyId: string | undefined;
}

/**
 * Identifies a request's client: by its API key when it presents one (throws
 * `UnauthenticatedError` for an unknown key), else by its address; `X-Forwarded-For`'s first
 * address is used only behind a trusted proxy, since anyone can send that header.
 */
export function identifyClient(
  request: Request,
  peerAddress: string,
  options: { apiKeys: ApiKeys; trustProxy: boolean },
): Client {
  const apiKeyId = options.apiKeys.identify(request.headers.get("authorization"));
  if (apiKeyId !== undefined) return { id: `key:${apiKeyId}`, apiKeyId };
  const forwarded = options.trustProxy
    ? request.headers.get("x-forwarded-for")?.split(",")[0]?.trim()
    : undefined;
  return { id: `ip:${forwarded || peerAddress}`, apiKeyId: undefined };
}
