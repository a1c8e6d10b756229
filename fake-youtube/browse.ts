/**
 * InnerTube `browse` and `navigation/resolve_url` for the simulated playlists and channel, in the
 * shapes youtubei.js reads: a playlist is `browseId: "VL" + id` (a `playlistVideoListRenderer`
 * of ~100 `playlistVideoRenderer`s ending in a `continuationItemRenderer`), a channel's Videos
 * tab a `richGridRenderer` of ~30 `richItemRenderer`s, and every later page `browse` with
 * `{ continuation }`, answered as `appendContinuationItemsAction`. A continuation token the
 * simulated YouTube did not issue is refused (400 INVALID_ARGUMENT), as YouTube does.
 */
import {
  alert,
  CHANNEL_ENDPOINT,
  channelPage,
  continuationItem,
  gridVideo,
  lockupVideo,
  playlistPage,
  playlistVideo,
  VIDEOS_TAB_PARAMS,
} from "./browse-renderers.ts";
import { FAKE_CHANNEL } from "./catalog.ts";
import type { Json } from "./player-response.ts";
import { CHANNEL_HANDLE, CHANNEL_UPLOAD_ENTRIES, fakePlaylist, PLAYLIST_IDS } from "./playlists.ts";

/** Entries per page, as YouTube sends them. */
const PLAYLIST_PAGE = 100;
const CHANNEL_PAGE = 30;
const CHANNEL_KEY = `channel:${FAKE_CHANNEL.id}`;

type Body = { browseId?: unknown; params?: unknown; continuation?: unknown; url?: unknown };

// A token names its list and offset, with a check value: anything else was not issued here.
function tokenFor(list: string, offset: number): string {
  const payload = `${list}|${offset}`;
  return Buffer.from(`${payload}|${Bun.hash(`fake-continuation:${payload}`).toString(36)}`).toString(
    "base64url",
  );
}

function readToken(token: string): { list: string; offset: number } | undefined {
  const [list, offset, check] = Buffer.from(token, "base64url").toString("utf8").split("|");
  if (list === undefined || offset === undefined || check === undefined) return undefined;
  return tokenFor(list, Number(offset)) === token ? { list, offset: Number(offset) } : undefined;
}

/** The items of one page of `list`, from `offset`, ending in a continuation when more follow. */
function pageItems(list: string, offset: number): Json[] | undefined {
  const playlist = list.startsWith("playlist:") ? fakePlaylist(list.slice("playlist:".length)) : undefined;
  const entries = playlist?.entries ?? (list === CHANNEL_KEY ? CHANNEL_UPLOAD_ENTRIES : undefined);
  if (entries === undefined || !Number.isSafeInteger(offset) || offset < 0 || offset >= entries.length)
    return undefined;
  const size = playlist ? PLAYLIST_PAGE : CHANNEL_PAGE;
  const page = entries.slice(offset, offset + size);
  const items = page.map((entry, i) => {
    if (playlist) return playlistVideo(entry, offset + i + 1, playlist.id);
    return offset >= 2 * CHANNEL_PAGE ? lockupVideo(entry) : gridVideo(entry);
  });
  return offset + size < entries.length ? [...items, continuationItem(tokenFor(list, offset + size))] : items;
}

function browse(body: Body): Response {
  if (typeof body.continuation === "string") {
    const at = readToken(body.continuation);
    const items = at === undefined ? undefined : pageItems(at.list, at.offset);
    if (items === undefined) {
      const error = {
        code: 400,
        message: "Request contains an invalid argument.",
        status: "INVALID_ARGUMENT",
      };
      return Response.json({ error }, { status: 400 });
    }
    const targetId = at?.list === CHANNEL_KEY ? "browse-feedvideos" : "playlist-continuations";
    return Response.json({
      responseContext: {},
      onResponseReceivedActions: [{ appendContinuationItemsAction: { continuationItems: items, targetId } }],
    });
  }
  const id = typeof body.browseId === "string" ? body.browseId : "";
  if (id === `VL${PLAYLIST_IDS.failing}`) return Response.json({ error: { code: 500 } }, { status: 500 });
  if (id.startsWith("VL")) {
    const list = fakePlaylist(id.slice(2));
    if (list === undefined) return Response.json(alert("The playlist does not exist."));
    if (list.visibility === "private") return Response.json(alert("This playlist is private."));
    return Response.json(playlistPage(list, pageItems(`playlist:${list.id}`, 0) ?? []));
  }
  if (id === FAKE_CHANNEL.id) {
    const videosTab = body.params === VIDEOS_TAB_PARAMS;
    return Response.json(channelPage(videosTab ? (pageItems(CHANNEL_KEY, 0) ?? []) : undefined));
  }
  return Response.json(alert("This channel does not exist."));
}

/** `navigation/resolve_url`: the simulated channel's handle, custom and user URLs; 404 for any other. */
function resolveUrl(body: Body): Response {
  const path = typeof body.url === "string" && URL.canParse(body.url) ? new URL(body.url).pathname : "";
  const [first, second] = path.split("/").filter((part) => part.length > 0);
  const known =
    first?.toLowerCase() === CHANNEL_HANDLE.toLowerCase() ||
    ((first === "c" || first === "user") && second === FAKE_CHANNEL.user) ||
    (first === "channel" && second === FAKE_CHANNEL.id);
  if (!known) {
    const error = { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND" };
    return Response.json({ error }, { status: 404 });
  }
  return Response.json({ responseContext: {}, endpoint: CHANNEL_ENDPOINT });
}

/** Answers `browse` and `navigation/resolve_url`, or undefined for any other request. */
export async function answerBrowse(req: Request, url: URL): Promise<Response | undefined> {
  if (req.method !== "POST") return undefined;
  if (url.pathname !== "/youtubei/v1/browse" && url.pathname !== "/youtubei/v1/navigation/resolve_url")
    return undefined;
  let body: Body;
  try {
    body = (await req.json()) as Body;
  } catch {
    return Response.json({ error: { code: 400, status: "INVALID_ARGUMENT" } }, { status: 400 });
  }
  return url.pathname.endsWith("/browse") ? browse(body) : resolveUrl(body);
}
