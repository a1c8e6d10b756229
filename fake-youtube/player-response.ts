/**
 * Player responses (`ytInitialPlayerResponse` and youtubei `/player` answers) for catalog videos.
 */
import { captionTracksOf, TRANSLATION_LANGUAGES, trackQuery } from "./captions.ts";
import type { CatalogVideo } from "./catalog.ts";
import type { MediaFile, MediaItag } from "./media.ts";
import { encipherSignature, expectedSignature, originalN } from "./player-js.ts";

/** JSON as built and served by the simulated YouTube. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What a player response depends on besides the catalog entry. */
export interface PlayerResponseContext {
  /** `http://127.0.0.1:PORT`: media and manifest URLs are absolute on it. */
  origin: string;
  /** Expiry written into every media URL, in Unix seconds. */
  expire: number;
  /** Media files by itag, as measured (sizes, durations). */
  media: ReadonlyMap<MediaItag, MediaFile>;
  /** The long video's files by itag, once made (only its extraction needs them). */
  long?: ReadonlyMap<number, MediaFile> | undefined;
  /** The one file of a `large` or `external` video (not in `media`). */
  single?: MediaFile;
  /** The address media URLs are bound to (`ip=`), when binding is on. */
  ip?: string | undefined;
}

/** How long YouTube says its URLs stay valid: six hours. */
export const URL_LIFETIME_SECONDS = 6 * 60 * 60;

const VISITOR_DATA = "CgtkdEZha2VWaXNpdG9y";

function mediaUrl(video: CatalogVideo, file: MediaFile, ctx: PlayerResponseContext): string {
  // Only URL-safe characters: ytdl-core decodes `url` and `s` twice (querystring, then
  // decodeURIComponent), so anything percent-encoded would be mangled.
  const params = [
    `expire=${ctx.expire}`,
    `id=${video.id}`,
    `itag=${file.itag}`,
    "source=youtube",
    `clen=${file.size}`,
    `dur=${(file.durationMs / 1000).toFixed(3)}`,
    "lmt=1710460800000000",
  ];
  if (ctx.ip !== undefined) params.push(`ip=${ctx.ip}`);
  if (video.cipher) params.push(`n=${originalN(video.id, file.itag)}`);
  return `${ctx.origin}/videoplayback?${params.join("&")}`;
}

function formatFor(
  video: CatalogVideo,
  file: MediaFile,
  ctx: PlayerResponseContext,
): { [key: string]: Json } {
  const url = mediaUrl(video, file, ctx);
  const sig = expectedSignature(video.id, file.itag, ctx.expire);
  const location: { [key: string]: Json } = video.cipher
    ? { signatureCipher: `s=${encipherSignature(sig)}&sp=sig&url=${encodeURIComponent(url)}` }
    : { url: `${url}&sig=${sig}` };
  const format: { [key: string]: Json } = {
    itag: file.itag,
    ...location,
    mimeType: file.mimeType,
    bitrate: Math.round(file.bitrate * 1.2),
    averageBitrate: file.bitrate,
    contentLength: String(file.size),
    lastModified: "1710460800000000",
    quality: file.quality,
    projectionType: "RECTANGULAR",
    approxDurationMs: String(file.durationMs),
  };
  // As YouTube writes them: strings, both ends inclusive.
  if (file.initRange !== undefined && file.indexRange !== undefined) {
    format.initRange = { start: String(file.initRange.start), end: String(file.initRange.end) };
    format.indexRange = { start: String(file.indexRange.start), end: String(file.indexRange.end) };
  }
  if (file.hasVideo) {
    Object.assign(format, {
      width: file.width,
      height: file.height,
      fps: file.fps,
      qualityLabel: file.qualityLabel,
    });
  }
  if (file.hasAudio) {
    Object.assign(format, {
      audioQuality: file.audioQuality ?? "AUDIO_QUALITY_MEDIUM",
      audioSampleRate: String(file.audioSampleRate),
      audioChannels: file.audioChannels ?? 2,
    });
  }
  return format;
}

function streamingData(video: CatalogVideo, ctx: PlayerResponseContext): { [key: string]: Json } {
  if (video.isLive) {
    return {
      expiresInSeconds: String(URL_LIFETIME_SECONDS),
      ...(video.hlsOnly
        ? {}
        : {
            dashManifestUrl: `${ctx.origin}/api/manifest/dash/expire/${ctx.expire}/id/${video.id}/source/yt_live_broadcast/file/manifest.mpd`,
          }),
      hlsManifestUrl: `${ctx.origin}/api/manifest/hls_variant/expire/${ctx.expire}/id/${video.id}/source/yt_live_broadcast/file/index.m3u8`,
    };
  }
  const single = video.media === "large" || video.media === "external" ? ctx.single : undefined;
  const media: ReadonlyMap<number, MediaFile> = (video.media === "long" ? ctx.long : undefined) ?? ctx.media;
  const files = single ? [single] : video.itags.map((itag) => media.get(itag));
  const present = files.filter((file): file is MediaFile => file !== undefined);
  return {
    expiresInSeconds: String(URL_LIFETIME_SECONDS),
    formats: present.filter((f) => f.hasVideo && f.hasAudio).map((f) => formatFor(video, f, ctx)),
    adaptiveFormats: present.filter((f) => !(f.hasVideo && f.hasAudio)).map((f) => formatFor(video, f, ctx)),
  };
}

function thumbnails(video: CatalogVideo): Json {
  return { thumbnails: video.thumbnails.map((t) => ({ ...t })) };
}

function videoDetails(video: CatalogVideo): { [key: string]: Json } {
  return {
    videoId: video.id,
    title: video.title,
    lengthSeconds: String(video.lengthSeconds),
    keywords: [...video.keywords],
    channelId: video.channel.id,
    isOwnerViewing: false,
    shortDescription: video.description,
    isCrawlable: true,
    thumbnail: thumbnails(video),
    allowRatings: true,
    viewCount: String(video.viewCount),
    author: video.channel.name,
    isPrivate: false,
    isUnpluggedCorpus: false,
    isLiveContent: video.isLive,
    ...(video.isLive ? { isLive: true } : {}),
  };
}

function microformat(video: CatalogVideo): { [key: string]: Json } {
  return {
    playerMicroformatRenderer: {
      thumbnail: thumbnails(video),
      title: { simpleText: video.title },
      description: { simpleText: video.description },
      lengthSeconds: String(video.lengthSeconds),
      ownerProfileUrl: `http://www.youtube.com/user/${video.channel.user}`,
      externalChannelId: video.channel.id,
      isFamilySafe: true,
      availableCountries: ["US", "FR", "JP"],
      isUnlisted: false,
      hasYpcMetadata: false,
      viewCount: String(video.viewCount),
      category: "Science & Technology",
      publishDate: video.publishDate,
      ownerChannelName: video.channel.name,
      uploadDate: video.publishDate,
      ...(video.isLive
        ? { liveBroadcastDetails: { isLiveNow: true, startTimestamp: `${video.publishDate}T10:00:00+00:00` } }
        : {}),
    },
  };
}

/** `captions` for a video that has any tracks, as YouTube announces them and their translations. */
function withCaptions(video: CatalogVideo, ctx: PlayerResponseContext): { [key: string]: Json } {
  const tracks = captionTracksOf(video.id);
  if (tracks.length === 0) return {};
  const playerCaptionsTracklistRenderer: Json = {
    captionTracks: tracks.map((track) => ({
      baseUrl: track.foreignUrl ?? `${ctx.origin}/api/timedtext?${trackQuery(video.id, track)}`,
      name: { simpleText: track.name },
      vssId: `${track.kind === "auto" ? "a" : ""}.${track.languageCode}`,
      languageCode: track.languageCode,
      ...(track.kind === "auto" ? { kind: "asr" } : {}),
      isTranslatable: track.translatable,
      trackName: "",
    })),
    audioTracks: [{ captionTrackIndices: tracks.map((_, i) => i), audioTrackId: "", visibility: "UNKNOWN" }],
    translationLanguages: TRANSLATION_LANGUAGES.map((l) => ({
      languageCode: l.code,
      languageName: { simpleText: l.name },
    })),
    defaultAudioTrackIndex: 0,
  };
  return { captions: { playerCaptionsTracklistRenderer } };
}

/** The player response YouTube would give for `video` (same for the watch page and youtubei). */
export function buildPlayerResponse(
  video: CatalogVideo,
  ctx: PlayerResponseContext,
): { [key: string]: Json } {
  const responseContext: Json = {
    visitorData: VISITOR_DATA,
    serviceTrackingParams: [{ service: "GFEEDBACK", params: [{ key: "visitor_data", value: VISITOR_DATA }] }],
  };
  const error = video.playability;
  if (error) {
    const playabilityStatus: Json = { status: error.status, reason: error.reason, messages: [error.reason] };
    // A removed or private video comes without details; the others still describe the video.
    const hidden = error.status === "ERROR" || error.reason.includes("private");
    return hidden
      ? { responseContext, playabilityStatus }
      : {
          responseContext,
          playabilityStatus,
          videoDetails: videoDetails(video),
          microformat: microformat(video),
        };
  }
  return {
    responseContext,
    playabilityStatus: {
      status: "OK",
      playableInEmbed: true,
      ...(video.isLive ? { liveStreamability: {} } : {}),
    },
    streamingData: streamingData(video, ctx),
    videoDetails: videoDetails(video),
    microformat: microformat(video),
    ...withCaptions(video, ctx),
  };
}
