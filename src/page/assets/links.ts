/**
 * What a pasted link names: one video, a playlist or a channel, so the page asks the API the
 * right question (`video`, `playlist` or `channel`). Pure: no DOM, no requests; the API decides
 * whether the link is valid. Runs in the browser; served transpiled to JavaScript.
 */

/** Which of the API's queries a link is for. */
export type LinkKind = "video" | "playlist" | "channel";

const LIST_ID = /^(?:PL|UU|FL|PU|OLAK5uy_)[A-Za-z0-9_-]{10,64}$/;
const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
const CHANNEL_PATH = /^\/(?:@[^/]+|channel\/[^/]+|c\/[^/]+|user\/[^/]+)(?:\/|$)/;

/**
 * A `/playlist?list=` link or a bare list id is a playlist; a `/@handle`, `/channel/…`, `/c/…`
 * or `/user/…` link, a bare `@handle` or `UC…` id a channel. Everything else, a watch link with
 * `&list=` included (the person pasted a video), is looked up as a video.
 */
export function linkKind(link: string): LinkKind {
  const text = link.trim();
  if (LIST_ID.test(text)) return "playlist";
  if (text.startsWith("@") || CHANNEL_ID.test(text)) return "channel";
  const url = URL.parse(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  if (url === null) return "video";
  if (url.pathname === "/playlist" && url.searchParams.has("list")) return "playlist";
  return CHANNEL_PATH.test(url.pathname) ? "channel" : "video";
}
