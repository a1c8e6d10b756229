import {
  css,
  editorWorkerService,
  favicon,
  graphqlWorker,
  js,
  jsonWorker,
} from "@graphql-yoga/render-graphiql/graphiql";
import type { GraphiQLOptions } from "graphql-yoga";

/** Where the playground's assets are served; a content hash in the path makes them immutable. */
const BASE = "/graphiql";

interface Asset {
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly type: string;
}

/** yoga ships the icon as a ~120 kB data URL; it is served as a file instead of inlined. */
function dataUrlBytes(url: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.fromBase64(url.slice(url.indexOf(",") + 1));
}

const ASSETS: Readonly<Record<string, Asset>> = {
  "graphiql.js": { body: js, type: "text/javascript; charset=utf-8" },
  "graphiql.css": { body: css, type: "text/css; charset=utf-8" },
  "editor.worker.js": { body: editorWorkerService, type: "text/javascript; charset=utf-8" },
  "json.worker.js": { body: jsonWorker, type: "text/javascript; charset=utf-8" },
  "graphql.worker.js": { body: graphqlWorker, type: "text/javascript; charset=utf-8" },
  "favicon.ico": { body: dataUrlBytes(favicon), type: "image/x-icon" },
};

/** One hash over every asset: the page links them under it, so a new release changes the URLs. */
const version = (() => {
  let memo: string | undefined;
  return () => {
    memo ??= Object.values(ASSETS)
      .reduce((hash, asset) => Bun.hash(asset.body, hash), 0n)
      .toString(36);
    return memo;
  };
})();

const gzipped = new Map<string, Uint8Array<ArrayBuffer>>();
function gzip(name: string, asset: Asset): Uint8Array<ArrayBuffer> {
  let body = gzipped.get(name);
  if (body === undefined) {
    body = Bun.gzipSync(asset.body, { level: 9 });
    gzipped.set(name, body);
  }
  return body;
}

const assetUrl = (name: string) => `${BASE}/${version()}/${name}`;
const safeJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * GraphiQL that works with no internet: yoga's default page loads its code from a CDN. The page
 * is small; its ~9 MB of scripts, styles and editor workers come from this gateway under a
 * versioned path, gzip-compressed once and cached by the browser for good.
 */
export function renderGraphiQLPage(options: GraphiQLOptions): string {
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

/** Answers `GET /graphiql/:version/:name`; 404 for unknown names or an old version. */
export function serveGraphiQLAsset(requested: string, name: string, acceptEncoding: string | null): Response {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (asset === undefined || requested !== version()) {
    return new Response("not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  }
  const headers: Record<string, string> = {
    "Content-Type": asset.type,
    "Cache-Control": "public, max-age=31536000, immutable",
    Vary: "Accept-Encoding",
  };
  if (/\bgzip\b/.test(acceptEncoding ?? "")) {
    return new Response(gzip(name, asset), { headers: { ...headers, "Content-Encoding": "gzip" } });
  }
  return new Response(asset.body, { headers });
}
