import { type GraphQLSchema, isEnumType } from "graphql";
import { jsonError } from "../http/json-error.ts";
import { assetResponse } from "../http/static-asset.ts";
import type { PageAssets } from "./page-assets.ts";
import { renderPageHtml } from "./page-html.ts";

/** Where the page's versioned assets live: `/page/:version/:name`. */
const ASSET_PREFIX = "/page/";

/**
 * The page may use nothing from elsewhere: its script, styles and icon come from this gateway,
 * it talks only to `/graphql`, and no inline script or style runs. Video thumbnails come through
 * the gateway too (`/thumbnail/:videoId`), so a person's browser talks to no other host.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const PAGE_HEADERS = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export interface PageOptions {
  /** The schema offers `FormatKind.MERGED` (see `offersMergedDownloads`). */
  readonly mergedDownloads: boolean;
  /** `DOWNTUBE_API_KEYS` is set: the page asks for a key. */
  readonly apiKeyRequired: boolean;
  /** `PUBLIC_URL`: where clients reach the gateway, for the pointer programs get; undefined: each request's origin. */
  readonly publicUrl: URL | undefined;
}

/**
 * Whether the schema can merge video-only and audio-only formats (`FormatKind.MERGED`); the page
 * offers merged choices only then. Asked of the schema the gateway serves, so it holds with
 * introspection switched off too.
 */
export function offersMergedDownloads(schema: GraphQLSchema): boolean {
  const kind = schema.getType("FormatKind");
  return isEnumType(kind) && kind.getValue("MERGED") !== undefined;
}

/** The route label of one of the page's paths (`/`, `/page/:version/:name`), for metrics and logs. */
export function pageRouteOf(pathname: string): string | undefined {
  if (pathname === "/") return "/";
  return pathname.startsWith(ASSET_PREFIX) ? "/page/:version/:name" : undefined;
}

/** Whether `Accept` prefers HTML: browsers ask for it first; curl and programs do not name it. */
function wantsHtml(accept: string | null): boolean {
  return /(^|,)\s*(text\/html|application\/xhtml\+xml)\s*(;|,|$)/i.test(accept ?? "");
}

/** What a program that asks for `/` gets: where the API is (under `base`, else the request's origin). */
function pointer(request: Request, base: URL | undefined): Response {
  const graphql = new URL("graphql", base ?? new URL("/", request.url)).href;
  return Response.json(
    {
      name: "downtube",
      graphql,
      hint: `POST GraphQL queries to ${graphql}; open this address in a browser to download a video by its link.`,
    },
    { headers: { "Cache-Control": "no-cache", Vary: "Accept" } },
  );
}

/**
 * The page for people, served by the gateway: `GET /` answers the HTML page to a browser and a
 * short JSON pointer to `/graphql` to anything else; `GET /page/:version/:name` serves its
 * script, styles and icon; other methods get 405. Returns undefined for paths that are not the
 * page's, so the caller's route table needs one line for all of it.
 */
export function createPage(options: PageOptions) {
  let loading: Promise<PageAssets> | undefined;
  const assets = () => {
    loading ??= import("./page-assets.ts").then((m) => m.loadPageAssets());
    return loading;
  };
  let html: string | undefined;

  const page = async (request: Request): Promise<Response> => {
    if (!wantsHtml(request.headers.get("accept"))) return pointer(request, options.publicUrl);
    const { version } = await assets();
    html ??= renderPageHtml({
      mergedDownloads: options.mergedDownloads,
      apiKeyRequired: options.apiKeyRequired,
      assetBase: `${ASSET_PREFIX}${version}`,
    });
    return new Response(html, {
      headers: {
        ...PAGE_HEADERS,
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-cache",
        Vary: "Accept",
      },
    });
  };

  const asset = async (request: Request, rest: string): Promise<Response> => {
    const { version, get } = await assets();
    const [requested, name, ...more] = rest.split("/");
    const found = name === undefined ? undefined : get(name);
    if (requested !== version || found === undefined || more.length > 0)
      return jsonError(404, "NOT_FOUND", "no such page asset");
    return assetResponse(found, request.headers.get("accept-encoding"), PAGE_HEADERS);
  };

  return (request: Request, pathname: string): Response | Promise<Response> | undefined => {
    if (pageRouteOf(pathname) === undefined) return undefined;
    if (request.method !== "GET" && request.method !== "HEAD")
      return jsonError(405, "METHOD_NOT_ALLOWED", "use GET, HEAD", { Allow: "GET, HEAD" });
    return pathname === "/" ? page(request) : asset(request, pathname.slice(ASSET_PREFIX.length));
  };
}
