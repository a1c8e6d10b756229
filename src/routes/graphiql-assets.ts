import {
  css,
  editorWorkerService,
  favicon,
  graphqlWorker,
  js,
  jsonWorker,
} from "@graphql-yoga/render-graphiql/graphiql";

/** One file of the playground. */
export interface GraphiQLAsset {
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly type: string;
  /** The body gzip-compressed, made on first use. */
  gzipped(): Uint8Array<ArrayBuffer>;
}

export interface GraphiQLAssets {
  /** A hash over every asset: the page links them under it, so a new release changes the URLs. */
  readonly version: string;
  /** The asset called `name`, or undefined. */
  get(name: string): GraphiQLAsset | undefined;
}

/** yoga ships the icon as a ~120 kB data URL; it is served as a file instead of inlined. */
function dataUrlBytes(url: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.fromBase64(url.slice(url.indexOf(",") + 1));
}

function asset(body: string | Uint8Array<ArrayBuffer>, type: string): GraphiQLAsset {
  let compressed: Uint8Array<ArrayBuffer> | undefined;
  return {
    body,
    type,
    gzipped: () => {
      compressed ??= Bun.gzipSync(body, { level: 9 });
      return compressed;
    },
  };
}

/**
 * GraphiQL's ~9 MB of scripts, styles and editor workers (from @graphql-yoga/render-graphiql,
 * which would otherwise inline them into every page). This module is imported only when the
 * playground is first asked for, so a gateway nobody browses never holds them in memory.
 */
export function createGraphiQLAssets(): GraphiQLAssets {
  const js_ = "text/javascript; charset=utf-8";
  const assets = new Map<string, GraphiQLAsset>([
    ["graphiql.js", asset(js, js_)],
    ["graphiql.css", asset(css, "text/css; charset=utf-8")],
    ["editor.worker.js", asset(editorWorkerService, js_)],
    ["json.worker.js", asset(jsonWorker, js_)],
    ["graphql.worker.js", asset(graphqlWorker, js_)],
    ["favicon.ico", asset(dataUrlBytes(favicon), "image/x-icon")],
  ]);
  const version = [...assets.values()].reduce((hash, a) => Bun.hash(a.body, hash), 0n).toString(36);
  return { version, get: (name) => assets.get(name) };
}
