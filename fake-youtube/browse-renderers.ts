/**
 * The JSON of the simulated lists' InnerTube answers, in the renderers youtubei.js reads:
 * `playlistVideoRenderer`s in a `playlistVideoListRenderer`, a channel's tabs and its Videos
 * tab's `richGridRenderer`, `continuationItemRenderer`s and ERROR alerts. `browse.ts` picks
 * which answer a request gets.
 */
import { FAKE_CHANNEL, thumbnailsFor } from "./catalog.ts";
import type { Json } from "./player-response.ts";
import { CHANNEL_HANDLE, type FakeListEntry, type FakePlaylist } from "./playlists.ts";

/** The `params` of a channel's Videos tab (what YouTube puts in the tab's browse endpoint). */
export const VIDEOS_TAB_PARAMS = "EgZ2aWRlb3PyBgQKAjoA";

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
export const CHANNEL_ENDPOINT: Json = {
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

/** The "load more" item that ends a page, carrying the next page's token. */
export function continuationItem(token: string): Json {
  return {
    continuationItemRenderer: {
      trigger: "CONTINUATION_TRIGGER_ON_ITEM_SHOWN",
      continuationEndpoint: {
        commandMetadata: { webCommandMetadata: { sendPost: true, apiUrl: "/youtubei/v1/browse" } },
        continuationCommand: { token, request: "CONTINUATION_REQUEST_TYPE_BROWSE" },
      },
    },
  };
}

export function playlistVideo(entry: FakeListEntry, index: number, listId: string): Json {
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
      shortBylineText: { runs: [{ text: FAKE_CHANNEL.name, navigationEndpoint: CHANNEL_ENDPOINT }] },
      lengthText: { simpleText: clock(entry.lengthSeconds) },
      lengthSeconds: String(entry.lengthSeconds),
    },
  };
}

export function gridVideo(entry: FakeListEntry): Json {
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
export function lockupVideo(entry: FakeListEntry): Json {
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

/** A page that carries only an ERROR alert: how YouTube answers a private or unknown list. */
export function alert(text: string): Json {
  return { responseContext: {}, alerts: [{ alertRenderer: { type: "ERROR", text: { simpleText: text } } }] };
}

/** The first answer for a playlist: its first page of `items`, metadata and sidebar. */
export function playlistPage(list: FakePlaylist, items: Json[]): Json {
  const count = list.entries.length;
  const contents = [
    {
      playlistVideoListRenderer: {
        contents: items,
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
                  title: { runs: [{ text: FAKE_CHANNEL.name, navigationEndpoint: CHANNEL_ENDPOINT }] },
                  navigationEndpoint: CHANNEL_ENDPOINT,
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

/** The channel page: its Home tab selected, or its Videos tab with `videos` (the first grid page). */
export function channelPage(videos: Json[] | undefined): Json {
  const grid = videos ? { richGridRenderer: { contents: videos } } : undefined;
  const home = videos ? undefined : { sectionListRenderer: { contents: [] } };
  return {
    responseContext: {},
    header: {
      c4TabbedHeaderRenderer: {
        channelId: FAKE_CHANNEL.id,
        title: FAKE_CHANNEL.name,
        navigationEndpoint: CHANNEL_ENDPOINT,
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
          channelTab("Videos", "/videos", VIDEOS_TAB_PARAMS, grid),
        ],
      },
    },
  };
}
