/**
 * Source-neutral domain types. Adapters translate their library's shapes into these; nothing
 * past an adapter sees ytdl-core (or any other extractor) types.
 */

/** Which adapter a video belongs to: YouTube, or a direct media URL on an allowed host. */
export type SourceName = "youtube" | "http";

/** A parsed, canonical reference to one video of one source. */
export interface VideoRef {
  readonly source: SourceName;
  /** The source's own id (YouTube: the 11-character video id; http: the normalised URL). */
  readonly id: string;
}

export type FormatKind = "MUXED" | "VIDEO_ONLY" | "AUDIO_ONLY";

export interface MediaFormat {
  /** The source's format id (YouTube: itag). */
  readonly itag: number;
  /** Full MIME type with codecs, e.g. `video/mp4; codecs="avc1.42001E, mp4a.40.2"`. */
  readonly mimeType: string;
  /** Container, e.g. `mp4`, `webm`; undefined when the source does not say. */
  readonly container: string | undefined;
  readonly qualityLabel: string | undefined;
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly fps: number | undefined;
  /** Bits per second. */
  readonly bitrate: number | undefined;
  /** Kilobits per second of the audio track. */
  readonly audioBitrate: number | undefined;
  /** Exact size in bytes when the source knows it. Can exceed 2^31. */
  readonly contentLength: number | undefined;
  readonly hasVideo: boolean;
  readonly hasAudio: boolean;
  readonly videoCodec: string | undefined;
  readonly audioCodec: string | undefined;
  /** Live/HLS/DASH manifests rather than one downloadable file. */
  readonly isManifest: boolean;
  /**
   * False when the origin only sends the whole file (no byte ranges): downloads then promise no
   * 206. Absent: ranges work (YouTube always serves them).
   */
  readonly acceptsRanges?: boolean | undefined;
  /**
   * An opaque version of the bytes when the origin may change them (a direct URL's ETag or
   * Last-Modified), so a resumed download never splices two versions. Absent: they never change.
   */
  readonly revision?: string | undefined;
  /**
   * Bytes of a DASH-shaped file's header (MP4 `ftyp`+`moov`, WebM up to the Cues), both ends
   * inclusive, as YouTube's adaptive formats declare it; with `indexRange` it lets a clip read
   * only the fragments it needs. Absent when the source does not say.
   */
  readonly initRange?: InclusiveRange | undefined;
  /** Bytes of the same file's index (the MP4 `sidx`, the WebM Cues), both ends inclusive. */
  readonly indexRange?: InclusiveRange | undefined;
  /**
   * The egress (proxy, or this instance's own address) whose address the URL is bound to: its
   * bytes must be fetched through the same one. Absent: the instance's own address.
   */
  readonly egress?: string | undefined;
  /**
   * Where the bytes are. Internal: it may expire or be bound to the gateway's address, so it is
   * never exposed through the API nor put into a token.
   */
  readonly url: string;
}

/** Byte offsets, both ends inclusive. */
export interface InclusiveRange {
  readonly start: number;
  readonly end: number;
}

export interface Thumbnail {
  readonly url: string;
  readonly width: number;
  readonly height: number;
}

export interface Chapter {
  readonly title: string;
  readonly startSeconds: number;
}

export interface Channel {
  readonly id: string | undefined;
  readonly name: string;
  readonly url: string | undefined;
  readonly verified: boolean;
}

/** `manual`: written by a person. `auto`: YouTube's speech recognition. */
export type CaptionKind = "manual" | "auto";

/** One caption track a video offers, in one language. */
export interface CaptionTrack {
  /** BCP 47 language code as the source gives it (`en`, `pt-BR`, `zh-Hans`). */
  readonly languageCode: string;
  /** What the source calls it (`English`, `English (auto-generated)`). */
  readonly name: string;
  readonly kind: CaptionKind;
  /** Whether the source can translate it (`translateTo`). */
  readonly translatable: boolean;
  /**
   * Where the source serves its text (YouTube: the `timedtext` base URL). Internal like a media
   * URL: it may expire or be bound to the gateway's address, so it is never exposed.
   */
  readonly url: string;
}

/** A language captions can be translated into. */
export interface Language {
  readonly code: string;
  readonly name: string;
}

export interface VideoInfo {
  readonly ref: VideoRef;
  /** Canonical watch URL. */
  readonly url: string;
  readonly title: string;
  readonly description: string | undefined;
  /** Undefined when the source cannot know (a direct media URL has no channel). */
  readonly author: Channel | undefined;
  /** Undefined when the source cannot know (a direct media URL does not say). */
  readonly durationSeconds: number | undefined;
  readonly viewCount: number | undefined;
  /** ISO date (YYYY-MM-DD) or date-time, as the source gives it. */
  readonly publishDate: string | undefined;
  readonly isLive: boolean;
  readonly thumbnails: readonly Thumbnail[];
  readonly chapters: readonly Chapter[];
  readonly formats: readonly MediaFormat[];
  /** Caption tracks, manual and automatic; empty when the video has none. */
  readonly captions: readonly CaptionTrack[];
  /** Languages a translatable track can be translated into. */
  readonly captionTranslationLanguages: readonly Language[];
}

/** The kind of a format, from its audio/video flags. */
export function formatKind(format: Pick<MediaFormat, "hasAudio" | "hasVideo">): FormatKind {
  if (format.hasVideo && format.hasAudio) return "MUXED";
  return format.hasVideo ? "VIDEO_ONLY" : "AUDIO_ONLY";
}
