import { SHORT_HOSTS, toUrl, YOUTUBE_HOSTS } from "./youtube-url.ts";

/**
 * Playlist ids YouTube lets anyone browse: user playlists (PL), uploads (UU), favourites (FL),
 * albums (OLAK5uy_) and popular uploads (PU). Mixes (RD) are endless and personal; liked videos
 * (LL) and watch later (WL) need the owner's sign-in.
 */
const LIST_ID = /^(?:PL|UU|FL|PU|OLAK5uy_)[A-Za-z0-9_-]{10,64}$/;
/** A channel id: `UC` and 22 characters of the URL-safe base64 alphabet. */
const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
/** A handle (`@name`: letters of any script, digits, `.`, `_`, `-`) and a custom or user name. */
const HANDLE = /^@[\p{L}\p{N}._-]{1,100}$/u;
const NAME = /^[\p{L}\p{N}._-]{1,100}$/u;

const isYouTube = (url: URL) => {
  const host = url.hostname.toLowerCase();
  return (
    (url.protocol === "https:" || url.protocol === "http:") &&
    (YOUTUBE_HOSTS.has(host) || SHORT_HOSTS.has(host))
  );
};

/**
 * The playlist id in what a user pastes: a `/playlist?list=` URL (www, m. or music.), a watch or
 * youtu.be URL with `&list=`, or a bare id. Undefined for anything else.
 */
export function parsePlaylistUrl(input: string): string | undefined {
  const text = input.trim();
  if (LIST_ID.test(text)) return text;
  const url = toUrl(text);
  const id = url !== undefined && isYouTube(url) ? url.searchParams.get("list") : null;
  return id !== null && LIST_ID.test(id) ? id : undefined;
}

function decoded(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // a malformed escape names no channel
  }
}

/**
 * The canonical path of the channel a user names: `/channel/UC…`, `/@handle`, `/c/name` or
 * `/user/name` (from such a URL, whatever follows, e.g. `/videos`), or a bare `@handle` or
 * `UC…` id. Undefined for anything else.
 */
export function parseChannelUrl(input: string): string | undefined {
  const text = input.trim();
  if (HANDLE.test(text)) return `/${text}`;
  if (CHANNEL_ID.test(text)) return `/channel/${text}`;
  const url = toUrl(text);
  if (url === undefined || !isYouTube(url) || SHORT_HOSTS.has(url.hostname.toLowerCase())) return undefined;
  const [first, second] = url.pathname
    .split("/")
    .filter((s) => s.length > 0)
    .map(decoded);
  if (first !== undefined && HANDLE.test(first)) return `/${first}`;
  if (first === "channel" && second !== undefined && CHANNEL_ID.test(second)) return `/channel/${second}`;
  if ((first === "c" || first === "user") && second !== undefined && NAME.test(second))
    return `/${first}/${second}`;
  return undefined;
}
