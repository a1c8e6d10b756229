import type { GraphiQLOptions } from "graphql-yoga";
import { jsonError } from "../http/json-error.ts";
import type { GraphiQLAssets } from "./graphiql-assets.ts";
import type { Route } from "./route.ts";

/** Where the playground's assets are served; a content hash in the path makes them immutable. */
const BASE = "/graphiql";

let loading: Promise<GraphiQLAssets> | undefined;
/** The assets, loaded once, on the first request that needs them. */
function assets(): Promise<GraphiQLAssets> {
  loading ??= import("./graphiql-assets.ts").then((m) => m.createGraphiQLAssets());
  return loading;
}

const safeJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * GraphiQL that works with no internet: yoga's default page loads its code from a CDN. The page
 * is small; its ~9 MB of scripts, styles and editor workers come from this gateway under a
 * versioned path, gzip-compressed once and cached by the browser for good.
 */
export async function renderGraphiQLPage(options: GraphiQLOptions): Promise<string> {
  const { version } = await assets();
  const assetUrl = (name: string) => `${BASE}/${version}/${name}`;
  const workers = {
    editorWorkerService: assetUrl("editor.worker.js"),
    json: assetUrl("json.worker.js"),
    graphql: assetUrl("graphql.worker.js"),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title ?? "downtube")}</title>
<link rel="icon" href="${assetUrl("favicon.ico")}">
<link rel="stylesheet" href="${assetUrl("graphiql.css")}">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root">Loading GraphiQL…</div>
<script>
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => (${safeJson(workers)})[label] };
</script>
<script src="${assetUrl("graphiql.js")}"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.querySelector("#root"), ${safeJson(options)});</script>
</body>
</html>`;
}

/** `GET /graphiql/:version/:name`: the playground's assets; 404 for unknown names or an old version. */
export const graphiqlAssetRoute: Route = {
  pattern: `${BASE}/:version/:name`,
  methods: ["GET"],
  handle: (request, { params }) =>
    serveGraphiQLAsset(params.version ?? "", params.name ?? "", request.headers.get("accept-encoding")),
};

async function serveGraphiQLAsset(
  requested: string,
  name: string,
  acceptEncoding: string | null,
): Promise<Response> {
  const { version, get } = await assets();
  const asset = get(name);
  if (asset === undefined || requested !== version) {
    return jsonError(404, "NOT_FOUND", "no such GraphiQL asset (the page links the current ones)");
  }
  const headers: Record<string, string> = {
    "Content-Type": asset.type,
    "Cache-Control": "public, max-age=31536000, immutable",
    Vary: "Accept-Encoding",
  };
  if (/\bgzip\b/.test(acceptEncoding ?? "")) {
    return new Response(asset.gzipped(), { headers: { ...headers, "Content-Encoding": "gzip" } });
  }
  return new Response(asset.body, { headers });
}
