import type { VideoRef } from "../../core/video.ts";

const ID = /^[A-Za-z0-9_-]{11}$/;

/** Hosts whose URLs carry a video id, either in `?v=` or in the path. */
export const YOUTUBE_HOSTS = new Set([
  "youtube.com",
  "www.youtube.com",
  "m.youtube.com",
  "music.youtube.com",
  "gaming.youtube.com",
  "youtube-nocookie.com",
  "www.youtube-nocookie.com",
]);
export const SHORT_HOSTS = new Set(["youtu.be", "www.youtu.be"]);
/** Path prefixes followed by the id: /shorts/ID, /embed/ID, /live/ID, /v/ID, /e/ID. */
const ID_PATHS = new Set(["shorts", "embed", "live", "v", "e"]);

/** True for a well-formed YouTube video id (11 characters of the URL-safe base64 alphabet). */
export function isYouTubeId(value: string): boolean {
  return ID.test(value);
}

/**
 * Reads a YouTube video reference out of whatever a user pastes: a watch, youtu.be, shorts,
 * embed, live or music URL (with or without scheme, with extra query parameters) or a bare id.
 * Returns undefined for anything else, including look-alike hosts.
 */
export function parseYouTubeUrl(input: string): VideoRef | undefined {
  const text = input.trim();
  if (isYouTubeId(text)) return { source: "youtube", id: text };
  const url = toUrl(text);
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) return undefined;
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split("/").filter((s) => s.length > 0);
  let id: string | undefined;
  if (SHORT_HOSTS.has(host)) {
    id = segments[0];
  } else if (YOUTUBE_HOSTS.has(host)) {
    const [first, second] = segments;
    if (first === "watch") id = url.searchParams.get("v") ?? undefined;
    else if (first !== undefined && ID_PATHS.has(first)) id = second;
  }
  return id !== undefined && isYouTubeId(id) ? { source: "youtube", id } : undefined;
}

/** What a user pasted, as a URL (`https://` assumed when it names no scheme); undefined when it is none. */
export function toUrl(text: string): URL | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  // One parse (`canParse` then `new URL` parsed every pasted URL twice, on every query).
  return URL.parse(withScheme) ?? undefined;
}

/** The canonical watch URL of a video id. */
export function watchUrl(id: string): string {
  return `https://www.youtube.com/watch?v=${id}`;
}
