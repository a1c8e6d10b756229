import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The youtubei.js module, as its typings describe it. */
export type YouTubeIModule = typeof import("youtubei.js");

/** Built by `scripts/build-youtubei.ts` (run by `npm start` and `npm test`), not committed. */
const BUNDLE = new URL("../../../.build/youtubei.js", import.meta.url);

let loading: Promise<YouTubeIModule> | undefined;

/**
 * Loads youtubei.js once, on first use: its one-file bundle when built (~0.1 s), else the
 * package itself (~700 modules, over a second under Bun). Nothing loads it at start, so a
 * gateway that never falls back to it never pays for it.
 */
export function loadYouTubeI(): Promise<YouTubeIModule> {
  loading ??= existsSync(fileURLToPath(BUNDLE))
    ? (import(BUNDLE.href) as Promise<YouTubeIModule>)
    : import("youtubei.js");
  return loading;
}
