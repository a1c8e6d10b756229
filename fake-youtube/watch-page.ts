/**
 * Watch and embed pages: HTML carrying `ytInitialPlayerResponse`, `ytInitialData` and the
 * player's `"jsUrl"`, laid out the way ytdl-core's `getWatchHTMLPage` cuts them out.
 */
import type { Json } from "./player-response.ts";

/** Serialises JSON for an inline `<script>`: `<` is escaped so no value can close the tag. */
export function scriptJson(value: Json): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** What a watch page embeds. */
export interface WatchPageParts {
  videoId: string;
  title: string;
  playerResponse: Json;
  initialData: Json;
  /** Path of the html5player, e.g. `/s/player/…/player_ias.vflset/en_US/base.js`. */
  jsUrl: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A watch page as `https://www.youtube.com/watch?v=ID` serves it (trimmed to what matters). */
export function buildWatchPage(parts: WatchPageParts): string {
  const config = {
    PLAYER_JS_URL: parts.jsUrl,
    WEB_PLAYER_CONTEXT_CONFIGS: { WEB_PLAYER_CONTEXT_CONFIG_ID_KEVLAR_WATCH: { jsUrl: parts.jsUrl } },
  };
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(parts.title)} - YouTube</title>`,
    `<link rel="canonical" href="https://www.youtube.com/watch?v=${parts.videoId}">`,
    `<script nonce="fake">ytcfg.set(${scriptJson(config)});</script>`,
    "</head><body>",
    `<script nonce="fake">var ytInitialPlayerResponse = ${scriptJson(parts.playerResponse)};</script>`,
    `<script nonce="fake">var ytInitialData = ${scriptJson(parts.initialData)};</script>`,
    `<div id="player"></div><script src="${parts.jsUrl}" name="player_ias/base"></script>`,
    "</body></html>",
    "",
  ].join("\n");
}

/** The embed page: only used by ytdl-core when a watch page names no player. */
export function buildEmbedPage(videoId: string, jsUrl: string): string {
  const config = { PLAYER_JS_URL: jsUrl, jsUrl, VIDEO_ID: videoId };
  return `<!DOCTYPE html><html><head><script>ytcfg.set(${scriptJson(config)});</script></head><body></body></html>\n`;
}
