import { assetsVersion, type StaticAsset, staticAsset } from "../http/static-asset.ts";

/** The page's own files, in `assets/`, by name and media type. */
const FILES: Readonly<Record<string, string>> = {
  "page.js": "text/javascript; charset=utf-8",
  "graphql.js": "text/javascript; charset=utf-8",
  "choices.js": "text/javascript; charset=utf-8",
  "messages.js": "text/javascript; charset=utf-8",
  "page.css": "text/css; charset=utf-8",
  "icon.svg": "image/svg+xml",
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
  const entries = await Promise.all(
    Object.entries(FILES).map(async ([name, type]) => {
      const text = await Bun.file(new URL(`./assets/${name}`, import.meta.url)).text();
      return [name, staticAsset(text, type)] as const;
    }),
  );
  const assets = new Map(entries);
  return {
    version: assetsVersion(assets.values()),
    get: (name) => assets.get(name),
  };
}
