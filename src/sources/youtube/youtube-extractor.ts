import type { VideoInfo } from "../../core/video.ts";

/** How an extractor reaches YouTube for metadata (pages, player, InnerTube API). */
export type ExtractionFetch = (url: string, init: RequestInit) => Promise<Response>;

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
   * any other error for a failure of the extractor itself (worth trying the next one).
   */
  extract(id: string, fetch: ExtractionFetch, signal: AbortSignal): Promise<VideoInfo>;
}
