import {
  css,
  editorWorkerService,
  favicon,
  graphqlWorker,
  js,
  jsonWorker,
} from "@graphql-yoga/render-graphiql/graphiql";
import { assetsVersion, type StaticAsset, staticAsset } from "../http/static-asset.ts";

export interface GraphiQLAssets {
  /** A hash over every asset: the page links them under it, so a new release changes the URLs. */
  readonly version: string;
  /** The asset called `name`, or undefined. */
  get(name: string): StaticAsset | undefined;
}

/** yoga ships the icon as a ~120 kB data URL; it is served as a file instead of inlined. */
function dataUrlBytes(url: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.fromBase64(url.slice(url.indexOf(",") + 1));
}

/**
 * GraphiQL's ~9 MB of scripts, styles and editor workers (from @graphql-yoga/render-graphiql,
 * which would otherwise inline them into every page). This module is imported only when the
 * playground is first asked for, so a gateway nobody browses never holds them in memory.
 */
export function createGraphiQLAssets(): GraphiQLAssets {
  const js_ = "text/javascript; charset=utf-8";
  const assets = new Map<string, StaticAsset>([
    ["graphiql.js", staticAsset(js, js_)],
    ["graphiql.css", staticAsset(css, "text/css; charset=utf-8")],
    ["editor.worker.js", staticAsset(editorWorkerService, js_)],
    ["json.worker.js", staticAsset(jsonWorker, js_)],
    ["graphql.worker.js", staticAsset(graphqlWorker, js_)],
    ["favicon.ico", staticAsset(dataUrlBytes(favicon), "image/x-icon")],
  ]);
  const version = assetsVersion(assets.values());
  return { version, get: (name) => assets.get(name) };
}
