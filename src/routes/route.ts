import type { RequestInfo } from "../http/node-listener.ts";
import type { Client } from "../limits/client-identity.ts";

/** What the route table hands a route besides the request. */
export interface RouteContext {
  /** The `:name` segments of the route's pattern, still percent-encoded. */
  readonly params: Readonly<Record<string, string>>;
  /** What only the connection knows (peer address, end of the response). */
  readonly info: RequestInfo;
  /** Who sent the request; throws `UnauthenticatedError` for an unknown API key. */
  client(): Client;
  /** Base of the URLs handed out (download links): `PUBLIC_URL` or the origin the request came to. */
  readonly base: URL;
}

/** One entry of the route table: where it lives, what it accepts, how it answers. */
export interface Route {
  /**
   * The path, with `:name` for a variable segment (`/download/:token`). Also the route's label
   * in metrics and access logs, so a token or a client's path never becomes one.
   */
  readonly pattern: string;
  /** The methods it answers; any other gets 405 with `Allow`. `"any"`: the route decides itself. */
  readonly methods: readonly string[] | "any";
  /** Answers a request to this route; failures it does not answer itself reach the app's net. */
  handle(request: Request, context: RouteContext): Response | Promise<Response>;
}

/** The `:name` segments of `pathname` when it has the shape of `pattern`, else undefined. */
export function matchPattern(pattern: string, pathname: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = pathname.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const segment = got[index] ?? "";
    if (part.startsWith(":")) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

/** A path segment decoded, or as it is when its percent-encoding is broken (a bad token, say). */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not decodable: passed on as is, and refused by whoever reads it
  }
}
