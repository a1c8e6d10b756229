import type { SourceName, VideoInfo, VideoRef } from "./video.ts";

/** A byte range, both ends inclusive, already checked against the resource size. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What `VideoSource.open` gives back: the origin has answered, bytes are ready to flow. */
export interface OpenedMedia {
  readonly body: ReadableStream<Uint8Array>;
  /** Total size of the resource in bytes. */
  readonly size: number;
  readonly contentType: string;
  /** The range actually served; undefined for the whole resource. */
  readonly range: ByteRange | undefined;
}

/**
 * One extractor of one kind of video URL. Adapters live in `src/sources/`; they are the only code
 * that talks to an origin.
 */
export interface VideoSource {
  /** The `VideoRef.source` this adapter answers for. */
  readonly name: SourceName;
  /** Parses a user-supplied URL or id; undefined when this source does not handle it. */
  parse(input: string): VideoRef | undefined;
  /**
   * Extracts metadata and formats. Throws `DowntubeError`s: `VideoNotFoundError`,
   * `VideoPrivateError`, `AgeRestrictedError`, `VideoUnavailableError`, `UpstreamError`,
   * `UpstreamTimeoutError`.
   */
  getInfo(ref: VideoRef, signal?: AbortSignal): Promise<VideoInfo>;
}

/**
 * Key-value storage with expiry and atomic counters: enough for the metadata cache, token use
 * counts and rate limits. Memory by default; Redis when configured, so several instances agree.
 */
export interface Store {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Adds one and returns the new count; the first increment starts a `ttlMs` window. */
  increment(key: string, ttlMs: number): Promise<number>;
  delete(key: string): Promise<void>;
}

/** Milliseconds since the epoch; injected so expiry is testable. */
export type Clock = () => number;
