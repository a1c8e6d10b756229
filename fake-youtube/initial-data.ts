/**
 * `ytInitialData` for catalog videos: the parts ytdl-core reads (owner, chapters, likes) in the
 * shapes `lib/info-extras.js` expects.
 */
import type { CatalogVideo } from "./catalog.ts";
import type { Json } from "./player-response.ts";

function compact(count: number): string {
  if (count >= 1_000_000) return `${(count / 1_000_000).toFixed(2)}M`;
  if (count >= 1_000) return `${(count / 1_000).toFixed(1)}K`;
  return String(count);
}

function owner(video: CatalogVideo): Json {
  const { channel } = video;
  return {
    videoOwnerRenderer: {
      title: { runs: [{ text: channel.name }] },
      navigationEndpoint: { browseEndpoint: { browseId: channel.id, canonicalBaseUrl: `/@${channel.user}` } },
      thumbnail: {
        thumbnails: [48, 88, 176].map((size) => ({
          url: `https://yt3.ggpht.com/fake-${channel.user}=s${size}-c-k-c0x00ffffff-no-rj`,
          width: size,
          height: size,
        })),
      },
      subscriberCountText: { simpleText: `${compact(channel.subscriberCount)} subscribers` },
      badges: channel.verified
        ? [{ metadataBadgeRenderer: { style: "BADGE_STYLE_TYPE_VERIFIED", tooltip: "Verified" } }]
        : [],
    },
  };
}

function chapterMarkers(video: CatalogVideo): Json[] {
  if (video.chapters.length === 0) return [];
  const chapters = video.chapters.map((chapter) => ({
    chapterRenderer: {
      title: { simpleText: chapter.title },
      timeRangeStartMillis: chapter.startSeconds * 1000,
      thumbnail: { thumbnails: [{ url: video.thumbnails[0]?.url ?? "", width: 120, height: 90 }] },
    },
  }));
  return [{ key: "DESCRIPTION_CHAPTERS", value: { chapters } }];
}

/** The `ytInitialData` of `video`'s watch page. */
export function buildInitialData(video: CatalogVideo): { [key: string]: Json } {
  return {
    responseContext: {
      serviceTrackingParams: [
        { service: "GFEEDBACK", params: [{ key: "visitor_data", value: "CgtkdEZha2VWaXNpdG9y" }] },
      ],
    },
    contents: {
      twoColumnWatchNextResults: {
        results: {
          results: {
            contents: [
              {
                videoPrimaryInfoRenderer: {
                  title: { runs: [{ text: video.title }] },
                  viewCount: {
                    videoViewCountRenderer: {
                      viewCount: { simpleText: `${video.viewCount.toLocaleString("en-US")} views` },
                    },
                  },
                  dateText: { simpleText: video.publishDate },
                },
              },
              {
                videoSecondaryInfoRenderer: {
                  owner: owner(video),
                  attributedDescription: { content: video.description },
                },
              },
            ],
          },
        },
        secondaryResults: { secondaryResults: { results: [] } },
      },
    },
    playerOverlays: {
      playerOverlayRenderer: {
        decoratedPlayerBarRenderer: {
          decoratedPlayerBarRenderer: {
            playerBar: {
              multiMarkersPlayerBarRenderer: {
                visibleOnLoad: { key: "DESCRIPTION_CHAPTERS" },
                markersMap: chapterMarkers(video),
              },
            },
          },
        },
      },
    },
  };
}
