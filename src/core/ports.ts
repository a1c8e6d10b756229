import type { Cue } from "./caption-cues.ts";
import type { MediaLocation } from "./media-location.ts";
import type { CaptionTrack, MediaFormat, SourceName, Thumbnail, VideoInfo, VideoRef } from "./video.ts";

/** A byte range, both ends inclusive, already checked against the resource size. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What `VideoSource.open` gives back: the origin has answered, bytes are ready to flow. */
export interface OpenedMedia {
  /**
   * Exactly the bytes of the requested range, with backpressure. Each chunk is a buffer of its
   * own that nothing else holds or reads again: the download route frees it once written.
   */
  readonly body: ReadableStream<Uint8Array>;
}

/** A small image fetched whole (a thumbnail). */
export interface ImageBytes {
  readonly bytes: Uint8Array;
  /** The origin's `image/*` type, without parameters (the bytes may still say otherwise). */
  readonly contentType: string;
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
  /**
   * Exact size of a format in bytes: its `contentLength`, or asked of the origin when the
   * metadata does not say. Throws like `open`.
   */
  sizeOf(format: MediaFormat, signal: AbortSignal): Promise<number>;
  /**
   * Starts streaming a format's bytes (all of them, or `range`). Resolves once the origin has
   * answered, so a failure before the first byte is an error here, not a short body; a failure
   * later errors the stream. Aborting `signal` (the client went away) cancels the origin request.
   * Throws `MediaUrlExpiredError` (the media URL needs a fresh extraction), `UpstreamError`,
   * `UpstreamTimeoutError`.
   */
  open(ref: VideoRef, format: MediaFormat, range: ByteRange, signal: AbortSignal): Promise<OpenedMedia>;
  /**
   * Where a format's bytes are, resolved as `open` would connect (redirects followed, addresses
   * checked), for a proxy that fetches them itself (`DOWNTUBE_OFFLOAD=nginx`). Undefined when
   * this format must be served by the gateway; a source without this method always is. Throws
   * like `open` (`MediaUrlExpiredError` when the origin refuses the URL). A source may remember
   * what it located for a short while; `options.refresh` asks the origin again.
   */
  locate?(
    ref: VideoRef,
    format: MediaFormat,
    signal: AbortSignal,
    options?: LocateOptions,
  ): Promise<MediaLocation | undefined>;
  /**
   * The bytes of one of the video's thumbnails (an entry of `VideoInfo.thumbnails`), fetched as
   * this source fetches everything (YouTube: its hosts only, routed to `DOWNTUBE_YOUTUBE_ORIGIN`
   * when set), whole, within the source's timeout and a size cap. Throws `UpstreamError` (refused,
   * not an image, too large) and `UpstreamTimeoutError`. A source without thumbnails lacks it.
   */
  thumbnail?(ref: VideoRef, thumbnail: Thumbnail, signal: AbortSignal): Promise<ImageBytes>;
  /**
   * The cues of one of the video's caption tracks (from its `VideoInfo.captions`), as the
   * source sends them: times and text still to be checked (`cleanCues`). Requests go the way
   * metadata requests go (same egress, same origin routing). A source without captions has no
   * such method. Throws `UpstreamError` (refused, larger than `request.maxBytes`, unreadable)
   * and `UpstreamTimeoutError`.
   */
  captions?(
    ref: VideoRef,
    track: CaptionTrack,
    request: CaptionRequest,
    signal: AbortSignal,
  ): Promise<readonly Cue[]>;
}

/** What `VideoSource.captions` reads. */
export interface CaptionRequest {
  /** A language the source translates the track into; undefined for the track as it is. */
  readonly translateTo?: string | undefined;
  /** The most the source's answer may weigh, in bytes (`DOWNTUBE_MAX_CAPTION_BYTES`). */
  readonly maxBytes: number;
}

/** How `VideoSource.locate` may answer. */
export interface LocateOptions {
  /**
   * Ask the origin, not a location remembered from an earlier download: a proxy was just refused
   * the media (a refresh), so what was remembered may be what went stale.
   */
  readonly refresh?: boolean;
}

/**
 * Key-value storage with expiry and atomic counters: enough for the metadata cache, token use
 * counts and rate limits. Memory by default; Redis when configured, so several instances agree.
 */
export interface Store {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Adds `by` (default 1) and returns the new count; the first increment starts a `ttlMs` window. */
  increment(key: string, ttlMs: number, by?: number): Promise<number>;
  delete(key: string): Promise<void>;
  /** Resolves when the store answers (readiness); throws `StoreUnavailableError` when it does not. */
  ping(): Promise<void>;
}

/**
 * Looks a host name up: every address it resolves to (IPv4 and IPv6, canonical text). Injected
 * through the platform so tests can make names resolve to forbidden addresses. Throws when the
 * name does not resolve; gives up when `signal` aborts.
 */
export type NameResolver = (hostname: string, signal: AbortSignal) => Promise<readonly string[]>;

/** Milliseconds since the epoch; injected so expiry is testable. */
export type Clock = () => number;

/** A lock taken by {@link WorkLock.tryAcquire}: held until released or until its time runs out. */
export interface Lease {
  /** The fencing value: unique to this holder, so only it can release the lock. */
  readonly fence: string;
  /** Gives the lock back unless it expired and someone else took it since. Never throws. */
  release(): Promise<void>;
}

/**
 * A short lock shared by every instance (Redis), so that one of them does a piece of work (an
 * extraction) while the others wait for its result. Expiry bounds how long a holder that died
 * keeps the others waiting.
 */
export interface WorkLock {
  /**
   * Takes `key` for `ttlMs` milliseconds; undefined when another holder has it.
   * Throws `StoreUnavailableError` when the lock cannot be asked (callers then work alone).
   */
  tryAcquire(key: string, ttlMs: number): Promise<Lease | undefined>;
  /** Whether anyone holds `key` now. Throws `StoreUnavailableError` like `tryAcquire`. */
  isHeld(key: string): Promise<boolean>;
}
