import { assetsVersion, type StaticAsset, staticAsset } from "../http/static-asset.ts";

const JS = "text/javascript; charset=utf-8";

/**
 * The page's own files, in `assets/`, by the name they are served under: the media type, and the
 * TypeScript source when the file is written in TypeScript (the browser gets it transpiled).
 * `page.js`, the DOM glue, is JavaScript: the project's type-check has no DOM types.
 */
const FILES: Readonly<Record<string, { type: string; source?: string }>> = {
  "page.js": { type: JS },
  "graphql.js": { type: JS, source: "graphql.ts" },
  "choices.js": { type: JS, source: "choices.ts" },
  "messages.js": { type: JS, source: "messages.ts" },
  "links.js": { type: JS, source: "links.ts" },
  "list-view.js": { type: JS },
  "page.css": { type: "text/css; charset=utf-8" },
  "icon.svg": { type: "image/svg+xml" },
};

/** The script, styles and icon of the page for people. */
export interface PageAssets {
  /** A hash over every file: the page links them under it, so a new release changes the URLs. */
  readonly version: string;
  /** The file called `name`, or undefined. */
  get(name: string): StaticAsset | undefined;
}

/**
 * Reads the page's files from `assets/` next to this module. Called on the first request for
 * the page, so a gateway nobody browses never reads them.
 */
export async function loadPageAssets(): Promise<PageAssets> {
  const typescript = new Bun.Transpiler({ loader: "ts", target: "browser" });
  const entries = await Promise.all(
    Object.entries(FILES).map(async ([name, { type, source }]) => {
      const text = await Bun.file(new URL(`./assets/${source ?? name}`, import.meta.url)).text();
      return [name, staticAsset(source === undefined ? text : typescript.transformSync(text), type)] as const;
    }),
  );
  const assets = new Map(entries);
  return {
    version: assetsVersion(assets.values()),
    get: (name) => assets.get(name),
  };
}
