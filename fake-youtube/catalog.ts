/**
 * The simulated videos: plain data that tests read to know what to expect. The server builds
 * every watch page, player response and media answer from these entries.
 */
import { CAPTION_VIDEO_IDS } from "./captions.ts";
import { LONG_MEDIA_SECONDS } from "./long-media.ts";
import { MEDIA_ITAGS, MEDIA_SECONDS, type MediaItag } from "./media.ts";

/** A channel as the watch page and the player microformat describe it. */
export interface CatalogChannel {
  /** `UC…` channel id (24 characters). */
  id: string;
  name: string;
  /** Legacy user name (last segment of `ownerProfileUrl`). */
  user: string;
  subscriberCount: number;
  verified: boolean;
}

/** A chapter, as ytdl-core reports it (`start_time` in seconds). */
export interface CatalogChapter {
  title: string;
  startSeconds: number;
}

/** A thumbnail declared in `videoDetails.thumbnail.thumbnails` (served by `thumbnail-images.ts`). */
export interface CatalogThumbnail {
  url: string;
  width: number;
  height: number;
}

/** What the watch page request does. */
export type WatchBehaviour = "ok" | "not-found" | "slow" | "failing";

/** What `/videoplayback` does for this video's formats. */
export type MediaBehaviour =
  | "ok"
  | "unavailable"
  | "audio-unavailable"
  | "truncated"
  | "trickle"
  | "large"
  | "external"
  | "long";

/** A `playabilityStatus` that makes ytdl-core throw. */
export interface CatalogPlayability {
  status: "LOGIN_REQUIRED" | "UNPLAYABLE" | "LIVE_STREAM_OFFLINE" | "ERROR";
  reason: string;
}

/** One simulated video. */
export interface CatalogVideo {
  /** 11-character id ([A-Za-z0-9_-]). */
  id: string;
  /** What the entry demonstrates (printed by `main.ts`). */
  purpose: string;
  title: string;
  description: string;
  channel: CatalogChannel;
  lengthSeconds: number;
  viewCount: number;
  /** `YYYY-MM-DD`, as in `microformat.playerMicroformatRenderer.publishDate`. */
  publishDate: string;
  keywords: readonly string[];
  thumbnails: readonly CatalogThumbnail[];
  chapters: readonly CatalogChapter[];
  /** Formats offered (none for live and error videos). */
  itags: readonly MediaItag[];
  /** Every format URL hidden in `signatureCipher` (`s` + `sp=sig`) with an `n` to transform. */
  cipher: boolean;
  isLive: boolean;
  /** A live video that offers an HLS manifest only (no DASH): ytdl-core then finds no format. */
  hlsOnly?: boolean;
  /** Present for videos ytdl-core must refuse. */
  playability?: CatalogPlayability;
  watch: WatchBehaviour;
  media: MediaBehaviour;
  /** The first extraction hands out URLs whose `expire` is already past (403 → re-extract). */
  expiredFirstExtraction: boolean;
  /** The message of the error ytdl-core's `getInfo` throws, when it throws. */
  expectedError?: string;
}

/** The channel of every simulated video. */
export const FAKE_CHANNEL: CatalogChannel = {
  id: "UCdowntubeFakeChannel000",
  name: "downtube Test Channel",
  user: "downtubetest",
  subscriberCount: 1_230_000,
  verified: true,
};

/** Thumbnails in the sizes YouTube declares, on the real image host (reached through the origin). */
export function thumbnailsFor(id: string): CatalogThumbnail[] {
  return [
    { url: `https://i.ytimg.com/vi/${id}/default.jpg`, width: 120, height: 90 },
    { url: `https://i.ytimg.com/vi/${id}/mqdefault.jpg`, width: 320, height: 180 },
    { url: `https://i.ytimg.com/vi/${id}/hqdefault.jpg`, width: 480, height: 360 },
    { url: `https://i.ytimg.com/vi/${id}/sddefault.jpg`, width: 640, height: 480 },
    { url: `https://i.ytimg.com/vi_webp/${id}/maxresdefault.webp`, width: 1920, height: 1080 },
  ];
}

function video(id: string, purpose: string, extra: Partial<CatalogVideo> = {}): CatalogVideo {
  return {
    id,
    purpose,
    title: `downtube fake video ${id}`,
    description: `A simulated video: ${purpose}.`,
    channel: FAKE_CHANNEL,
    lengthSeconds: MEDIA_SECONDS,
    viewCount: 1234,
    publishDate: "2024-03-15",
    keywords: ["downtube", "test"],
    thumbnails: thumbnailsFor(id),
    chapters: [],
    itags: MEDIA_ITAGS,
    cipher: false,
    isLive: false,
    watch: "ok",
    media: "ok",
    expiredFirstExtraction: false,
    ...extra,
  };
}

/** Ids of the simulated videos, by role. */
export const VIDEO_IDS = {
  plain: "Plain000001",
  cipher: "Cipher00001",
  private: "Private0001",
  ageRestricted: "AgeGate0001",
  rental: "Rental00001",
  liveOffline: "LiveOff0001",
  unavailable: "Unavail0001",
  notFound: "NotFound001",
  liveNow: "LiveNow0001",
  liveHlsOnly: "LiveHls0001",
  slowWatch: "SlowWatch01",
  failingWatch: "Broken50001",
  mediaUnavailable: "Media503001",
  audioUnavailable: "Audio503001",
  mediaTruncated: "MediaCut001",
  mediaTrickle: "Trickle0001",
  expiredOnce: "Expired0001",
  large: "Large000001",
  long: "LongClip001",
  /** GraphiQL's welcome example (YouTube's first video on the real YouTube). */
  graphiqlExample: "jNQXAC9IVRw",
  hostileTitle: "Hostile0001",
  captions: CAPTION_VIDEO_IDS.captions,
  hostileCaptions: CAPTION_VIDEO_IDS.hostile,
} as const;

/** The first simulated video's title: a quote, an emoji and non-Latin scripts, on purpose. */
export const PLAIN_TITLE = 'The "Fake" Tour 🎬 — 日本語のテスト / Ελληνικά / Кириллица';

/** A title no tag writer may mangle or run: quotes, newlines, shell syntax, a NUL-free mix of scripts. */
export const HOSTILE_TITLE =
  "Say \"hi\" & 'bye'\n$(touch /tmp/downtube-pwned) `id`; rm -rf ~ # <b>\\n</b> 🎵 Ωμέγα";

/** Every simulated video. */
export const CATALOG: readonly CatalogVideo[] = [
  video(VIDEO_IDS.plain, "plain format URLs, chapters, description, views, publish date, thumbnails", {
    title: PLAIN_TITLE,
    description:
      "Chapters:\n0:00 Intro\n0:02 The middle part\n0:04 Outro\n\nTest pattern and a 440 Hz tone. " +
      "Unicode: café, 東京, 🎥. A closing </script> in a description must not break the page.",
    viewCount: 9_876_543_210,
    publishDate: "2021-07-04",
    keywords: ["downtube", "test pattern", "テスト"],
    chapters: [
      { title: "Intro", startSeconds: 0 },
      { title: "The middle part", startSeconds: 2 },
      { title: "Outro 🎬", startSeconds: 4 },
    ],
  }),
  video(
    VIDEO_IDS.cipher,
    "every format in signatureCipher with an n parameter: /videoplayback checks sig and n",
    {
      title: "Ciphered formats (decipher + n-transform)",
      cipher: true,
    },
  ),
  video(VIDEO_IDS.private, "private video (LOGIN_REQUIRED)", {
    itags: [],
    playability: {
      status: "LOGIN_REQUIRED",
      reason: "This is a private video. Please sign in to verify that you may see it.",
    },
    expectedError: "This is a private video. Please sign in to verify that you may see it.",
  }),
  video(VIDEO_IDS.ageRestricted, "age-restricted video (LOGIN_REQUIRED, age gate)", {
    itags: [],
    playability: { status: "LOGIN_REQUIRED", reason: "Sign in to confirm your age" },
    expectedError: "Sign in to confirm your age",
  }),
  video(VIDEO_IDS.rental, "paid / rental video (UNPLAYABLE)", {
    itags: [],
    playability: { status: "UNPLAYABLE", reason: "This video requires payment to watch." },
    expectedError: "This video requires payment to watch.",
  }),
  video(VIDEO_IDS.liveOffline, "scheduled live stream that is offline (LIVE_STREAM_OFFLINE)", {
    itags: [],
    playability: { status: "LIVE_STREAM_OFFLINE", reason: "This live event will begin in a few moments." },
    expectedError: "This live event will begin in a few moments.",
  }),
  video(VIDEO_IDS.unavailable, "removed video (ERROR, Video unavailable)", {
    itags: [],
    playability: { status: "ERROR", reason: "Video unavailable" },
    expectedError: "Video unavailable",
  }),
  video(VIDEO_IDS.notFound, "id the origin does not know: the watch page answers 404", {
    itags: [],
    watch: "not-found",
    expectedError: "Status code: 404",
  }),
  video(VIDEO_IDS.liveNow, "live now: isLive, DASH and HLS manifests (served too), no plain formats", {
    title: "Live now: simulated broadcast",
    itags: [],
    isLive: true,
    lengthSeconds: 0,
  }),
  video(VIDEO_IDS.liveHlsOnly, "live now with an HLS manifest only: ytdl-core finds no playable format", {
    title: "Live now: HLS only",
    itags: [],
    isLive: true,
    hlsOnly: true,
    lengthSeconds: 0,
    expectedError: "No playable formats found",
  }),
  video(VIDEO_IDS.slowWatch, "slow origin: the watch page waits (options.slowWatchDelayMs) unless aborted", {
    watch: "slow",
  }),
  video(VIDEO_IDS.failingWatch, "failing origin: the watch page answers 500 every time", {
    watch: "failing",
    expectedError: "Status code: 500",
  }),
  video(VIDEO_IDS.mediaUnavailable, "extracts fine, but /videoplayback answers 503", {
    media: "unavailable",
  }),
  video(VIDEO_IDS.audioUnavailable, "extracts fine; /videoplayback answers 503 for its audio-only formats", {
    media: "audio-unavailable",
  }),
  video(VIDEO_IDS.mediaTruncated, "extracts fine, but the media connection dies mid-body", {
    media: "truncated",
  }),
  video(VIDEO_IDS.mediaTrickle, "media sent slowly (options.trickle) so a client disconnect is observable", {
    media: "trickle",
  }),
  video(
    VIDEO_IDS.expiredOnce,
    "first extraction yields already-expired URLs (403); the next ones are fresh",
    {
      expiredFirstExtraction: true,
    },
  ),
  video(VIDEO_IDS.long, "ten minutes in YouTube's DASH shape (sidx, Cues; byte counts) for clips", {
    title: "A long talk",
    media: "long",
    lengthSeconds: LONG_MEDIA_SECONDS,
    itags: [18, 137, 248, 140, 251],
  }),
  video(VIDEO_IDS.hostileTitle, "a title of quotes, newlines and shell syntax (audio tags keep it exactly)", {
    title: HOSTILE_TITLE,
  }),
  video(VIDEO_IDS.captions, "caption tracks (captions.ts): manual en and de, automatic en, translations", {
    title: "Captioned video",
  }),
  video(
    VIDEO_IDS.hostileCaptions,
    "hostile caption tracks: broken cues, an endless body, not captions at all",
    {
      title: "Hostile captions",
    },
  ),
  video(VIDEO_IDS.large, "one large synthetic format (options.largeMedia) for benchmarks", {
    media: "large",
    itags: [18],
  }),
  video(VIDEO_IDS.graphiqlExample, "the example of GraphiQL's welcome query (YouTube's first video there)", {
    title: "Me at the zoo (simulated)",
  }),
];

/**
 * A video beyond the catalog whose one format is served by another origin
 * (`FakeYouTubeOptions.externalMedia`): `/videoplayback` redirects there.
 */
export function externalVideo(id: string, itag: MediaItag): CatalogVideo {
  return video(id, "one format served by another origin (options.externalMedia)", {
    media: "external",
    itags: [itag],
  });
}

/** A playable video beyond the catalog: an entry of a simulated playlist or channel (`playlists.ts`). */
export function listedVideo(id: string, title: string): CatalogVideo {
  return video(id, "an entry of a simulated playlist or channel's uploads", { title });
}

const BY_ID = new Map(CATALOG.map((entry) => [entry.id, entry]));

/** The catalog entry for `id`, or undefined. */
export function catalogVideo(id: string): CatalogVideo | undefined {
  return BY_ID.get(id);
}
