import type { VideoInfo } from "../../core/video.ts";

/** How an extractor reaches YouTube for metadata (pages, player, InnerTube API). */
export type ExtractionFetch = (url: string, init: RequestInit) => Promise<Response>;

/** What an extraction may show YouTube to get past its bot checks (see `po-tokens.ts`). */
export interface ExtractionAccess {
  /** A PO token, for `serviceIntegrityDimensions.poToken` of InnerTube player requests. */
  readonly poToken?: string | undefined;
  /** The visitor data the token is bound to, sent as `context.client.visitorData`. */
  readonly visitorData?: string | undefined;
  /**
   * The youtube.com `Cookie` header (the extraction's fetch already adds cookies to every
   * request; an extractor that signs requests with them, as youtubei.js does, needs them too).
   */
  readonly cookie?: string | undefined;
}

/**
 * One way of reading a YouTube video's metadata and formats (with playable, deciphered media
 * URLs). Extractors only extract: the bytes are read by the YouTube `VideoSource` itself, one
 * implementation whatever extracted the URL.
 */
export interface YouTubeExtractor {
  /** Its name in `DOWNTUBE_YOUTUBE_EXTRACTORS`, logs and metrics (`ytdl`, `youtubei`). */
  readonly name: string;
  /**
   * Extracts one video. Every request goes through `fetch`, which routes, checks and times
   * them; `signal` aborts when the client goes away or the extraction budget is spent.
   * Throws a verdict about the video (`VideoNotFoundError`, `VideoPrivateError`,
   * `AgeRestrictedError`, `VideoUnavailableError`, `LiveNotSupportedError`), which is final, or
   * any other error for a failure of the extractor itself (worth trying the next one), among
   * them `YouTubeChallengeError` (YouTube doubts the requester: another extractor that shows
   * `access` differently may pass). `access` is what the extraction may show YouTube.
   */
  extract(
    id: string,
    fetch: ExtractionFetch,
    signal: AbortSignal,
    access?: ExtractionAccess,
  ): Promise<VideoInfo>;
}
