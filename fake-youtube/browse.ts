/**
 * InnerTube `browse` and `navigation/resolve_url` for the simulated playlists and channel, in the
 * shapes youtubei.js reads: a playlist is `browseId: "VL" + id` (a `playlistVideoListRenderer`
 * of ~100 `playlistVideoRenderer`s ending in a `continuationItemRenderer`), a channel's Videos
 * tab a `richGridRenderer` of ~30 `richItemRenderer`s, and every later page `browse` with
 * `{ continuation }`, answered as `appendContinuationItemsAction`. A continuation token the
 * simulated YouTube did not issue is refused (400 INVALID_ARGUMENT), as YouTube does.
 */
import { FAKE_CHANNEL, thumbnailsFor } from "./catalog.ts";
import type { Json } from "./player-response.ts";
import {
  CHANNEL_HANDLE,
  CHANNEL_UPLOAD_ENTRIES,
  type FakeListEntry,
  type FakePlaylist,
  fakePlaylist,
  PLAYLIST_IDS,
} from "./playlists.ts";

/** Entries per page, as YouTube sends them. */
const PLAYLIST_PAGE = 100;
const CHANNEL_PAGE = 30;
/** The `params` of a channel's Videos tab (what YouTube puts in the tab's browse endpoint). */
const VIDEOS_TAB_PARAMS = "EgZ2aWRlb3PyBgQKAjoA";
const CHANNEL_KEY = `channel:${FAKE_CHANNEL.id}`;

type Body = { browseId?: unknown; params?: unknown; continuation?: unknown; url?: unknown };

const runs = (text: string): Json => ({
  runs: [{ text }],
  accessibility: { accessibilityData: { label: text } },
});
const thumbnails = (id: string, count: number): Json => ({
  thumbnails: thumbnailsFor(id)
    .slice(0, count)
    .map(({ url, width, height }) => ({ url, width, height })),
});
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
const channelEndpoint: Json = {
  commandMetadata: {
    webCommandMetadata: {
      url: `/${CHANNEL_HANDLE}`,
      webPageType: "WEB_PAGE_TYPE_CHANNEL",
      apiUrl: "/youtubei/v1/browse",
    },
  },
  browseEndpoint: { browseId: FAKE_CHANNEL.id, canonicalBaseUrl: `/${CHANNEL_HANDLE}` },
};
const avatar: Json = {
  thumbnails: [88, 176].map((size) => ({
    url: `https://yt3.ggpht.com/fake-avatar=s${size}`,
    width: size,
    height: size,
  })),
};

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

function continuationItem(list: string, offset: number): Json {
  return {
    continuationItemRenderer: {
      trigger: "CONTINUATION_TRIGGER_ON_ITEM_SHOWN",
      continuationEndpoint: {
        commandMetadata: { webCommandMetadata: { sendPost: true, apiUrl: "/youtubei/v1/browse" } },
        continuationCommand: { token: tokenFor(list, offset), request: "CONTINUATION_REQUEST_TYPE_BROWSE" },
      },
    },
  };
}

function playlistVideo(entry: FakeListEntry, index: number, listId: string): Json {
  const watch = { videoId: entry.id, playlistId: listId, index: index - 1 };
  const common = {
    videoId: entry.id,
    title: runs(entry.title),
    index: { simpleText: String(index) },
    navigationEndpoint: { watchEndpoint: watch },
    isPlayable: entry.state === "ok",
    thumbnailOverlays: [],
  };
  if (entry.state !== "ok") {
    // Deleted and private entries come without byline, length or real thumbnail.
    const noThumbnail = { url: "https://i.ytimg.com/img/no_thumbnail.jpg", width: 120, height: 90 };
    return { playlistVideoRenderer: { ...common, thumbnail: { thumbnails: [noThumbnail] } } };
  }
  return {
    playlistVideoRenderer: {
      ...common,
      thumbnail: thumbnails(entry.id, 4),
      shortBylineText: { runs: [{ text: FAKE_CHANNEL.name, navigationEndpoint: channelEndpoint }] },
      lengthText: { simpleText: clock(entry.lengthSeconds) },
      lengthSeconds: String(entry.lengthSeconds),
    },
  };
}

function gridVideo(entry: FakeListEntry): Json {
  return {
    richItemRenderer: {
      content: {
        videoRenderer: {
          videoId: entry.id,
          title: runs(entry.title),
          thumbnail: thumbnails(entry.id, 4),
          lengthText: { simpleText: clock(entry.lengthSeconds) },
          viewCountText: { simpleText: "1,234 views" },
          publishedTimeText: { simpleText: "1 day ago" },
          navigationEndpoint: { watchEndpoint: { videoId: entry.id } },
          thumbnailOverlays: [],
        },
      },
    },
  };
}

/**
 * A channel's upload as a `lockupViewModel`, the newer shape YouTube has begun to send in grids
 * instead of `videoRenderer`: the simulated channel sends its third page so, and both are read.
 */
function lockupVideo(entry: FakeListEntry): Json {
  const badge = {
    thumbnailBadgeViewModel: {
      text: clock(entry.lengthSeconds),
      badgeStyle: "THUMBNAIL_OVERLAY_BADGE_STYLE_DEFAULT",
    },
  };
  const image = { sources: (thumbnails(entry.id, 4) as { thumbnails: Json[] }).thumbnails };
  return {
    richItemRenderer: {
      content: {
        lockupViewModel: {
          contentImage: {
            thumbnailViewModel: {
              image,
              overlays: [
                {
                  thumbnailOverlayBadgeViewModel: {
                    thumbnailBadges: [badge],
                    position: "THUMBNAIL_OVERLAY_BADGE_POSITION_BOTTOM_END",
                  },
                },
              ],
            },
          },
          metadata: {
            lockupMetadataViewModel: {
              title: { content: entry.title },
              metadata: {
                contentMetadataViewModel: {
                  metadataRows: [{ metadataParts: [{ text: { content: "1.2K views" } }] }],
                },
              },
            },
          },
          contentId: entry.id,
          contentType: "LOCKUP_CONTENT_TYPE_VIDEO",
        },
      },
    },
  };
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
  return offset + size < entries.length ? [...items, continuationItem(list, offset + size)] : items;
}

function alert(text: string): Json {
  return { responseContext: {}, alerts: [{ alertRenderer: { type: "ERROR", text: { simpleText: text } } }] };
}

function playlistPage(list: FakePlaylist): Json {
  const count = list.entries.length;
  const contents = [
    {
      playlistVideoListRenderer: {
        contents: pageItems(`playlist:${list.id}`, 0) ?? [],
        playlistId: list.id,
        isEditable: false,
        canReorder: false,
      },
    },
  ];
  const tab = {
    tabRenderer: {
      selected: true,
      content: { sectionListRenderer: { contents: [{ itemSectionRenderer: { contents } }] } },
    },
  };
  return {
    responseContext: {},
    contents: { twoColumnBrowseResultsRenderer: { tabs: [tab] } },
    metadata: { playlistMetadataRenderer: { title: list.title, description: list.description } },
    sidebar: {
      playlistSidebarRenderer: {
        items: [
          {
            playlistSidebarPrimaryInfoRenderer: {
              title: runs(list.title),
              stats: [
                { runs: [{ text: String(count) }, { text: " videos" }] },
                { simpleText: "1,234 views" },
                { runs: [{ text: "Last updated on " }, { text: "Mar 15, 2024" }] },
              ],
              thumbnailRenderer: {
                playlistVideoThumbnailRenderer: {
                  thumbnail: thumbnails(list.entries[0]?.id ?? "none", 3),
                },
              },
              description: { simpleText: list.description },
            },
          },
          {
            playlistSidebarSecondaryInfoRenderer: {
              videoOwner: {
                videoOwnerRenderer: {
                  title: { runs: [{ text: FAKE_CHANNEL.name, navigationEndpoint: channelEndpoint }] },
                  navigationEndpoint: channelEndpoint,
                  thumbnail: avatar,
                },
              },
            },
          },
        ],
      },
    },
  };
}

function channelTab(
  title: string,
  path: string,
  params: string | undefined,
  content: Json | undefined,
): Json {
  const endpoint = {
    commandMetadata: {
      webCommandMetadata: {
        url: `/${CHANNEL_HANDLE}${path}`,
        webPageType: "WEB_PAGE_TYPE_CHANNEL",
        apiUrl: "/youtubei/v1/browse",
      },
    },
    browseEndpoint: {
      browseId: FAKE_CHANNEL.id,
      canonicalBaseUrl: `/${CHANNEL_HANDLE}`,
      ...(params ? { params } : {}),
    },
  };
  return {
    tabRenderer: { title, endpoint, selected: content !== undefined, ...(content ? { content } : {}) },
  };
}

function channelPage(videosTab: boolean): Json {
  const videos = videosTab ? { richGridRenderer: { contents: pageItems(CHANNEL_KEY, 0) ?? [] } } : undefined;
  const home = videosTab ? undefined : { sectionListRenderer: { contents: [] } };
  return {
    responseContext: {},
    header: {
      c4TabbedHeaderRenderer: {
        channelId: FAKE_CHANNEL.id,
        title: FAKE_CHANNEL.name,
        navigationEndpoint: channelEndpoint,
        avatar,
      },
    },
    metadata: {
      channelMetadataRenderer: {
        title: FAKE_CHANNEL.name,
        description: "The simulated channel of every simulated video.",
        externalId: FAKE_CHANNEL.id,
        channelUrl: `https://www.youtube.com/channel/${FAKE_CHANNEL.id}`,
        vanityChannelUrl: `http://www.youtube.com/${CHANNEL_HANDLE}`,
        avatar,
        isFamilySafe: true,
      },
    },
    contents: {
      twoColumnBrowseResultsRenderer: {
        tabs: [
          channelTab("Home", "/featured", undefined, home),
          channelTab("Videos", "/videos", VIDEOS_TAB_PARAMS, videos),
        ],
      },
    },
  };
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
    return Response.json(playlistPage(list));
  }
  if (id === FAKE_CHANNEL.id) return Response.json(channelPage(body.params === VIDEOS_TAB_PARAMS));
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
  return Response.json({ responseContext: {}, endpoint: channelEndpoint });
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
