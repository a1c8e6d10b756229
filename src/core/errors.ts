/**
 * The one error hierarchy of downtube. Every failure a client may see is a `DowntubeError`
 * with a stable `code` (part of the public contract, see DESIGN.md) and the HTTP status it maps
 * to. Anything that is not a `DowntubeError` is unexpected: it is logged once and masked.
 *
 * `ERROR_CODES` lists every code that can reach a client; the README's error table documents
 * each (a test compares the two).
 */
export const ERROR_CODES = [
  "BAD_USER_INPUT",
  "UNSUPPORTED_URL",
  "VIDEO_NOT_FOUND",
  "PLAYLIST_NOT_FOUND",
  "VIDEO_PRIVATE",
  "AGE_RESTRICTED",
  "VIDEO_UNAVAILABLE",
  "LIVE_NOT_SUPPORTED",
  "FORMAT_NOT_FOUND",
  "CAPTIONS_NOT_FOUND",
  "TOKEN_INVALID",
  "TOKEN_EXPIRED",
  "TOKEN_USED",
  "RATE_LIMITED",
  "TOO_MANY_STREAMS",
  "MERGE_UNAVAILABLE",
  "FFMPEG_UNAVAILABLE",
  "UNAUTHENTICATED",
  "STORE_UNAVAILABLE",
  "UPSTREAM_ERROR",
  "UPSTREAM_TIMEOUT",
  "YOUTUBE_CHALLENGE",
  "FORBIDDEN_ADDRESS",
  "UNSUPPORTED_MEDIA",
  "MEDIA_TOO_LARGE",
  "CSRF_HEADER_REQUIRED",
  // The HTTP routes' own refusals.
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "RANGE_NOT_SATISFIABLE",
  // graphql-yoga's and graphql-js's refusals of a request that is not a runnable operation.
  "BAD_REQUEST",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "OPERATION_RESOLUTION_FAILURE",
  // Anything unexpected, masked (`MASKED_ERROR`).
  "INTERNAL_SERVER_ERROR",
] as const;

/** A code a client can be answered with (`extensions.code` on GraphQL, `error.code` elsewhere). */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a client sees of an unexpected error, on every route: a fixed code and message, nothing more. */
export const MASKED_ERROR = {
  code: "INTERNAL_SERVER_ERROR",
  message: "Unexpected error.",
} as const satisfies { code: ErrorCode; message: string };

/** Base class: a failure with a stable code, an HTTP status and a message safe to show a client. */
export abstract class DowntubeError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly status: number;
  /** Extra response headers (for example `Retry-After`). */
  readonly headers: Readonly<Record<string, string>> = {};

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class BadUserInputError extends DowntubeError {
  readonly code = "BAD_USER_INPUT";
  readonly status = 400;
}

export class UnsupportedUrlError extends DowntubeError {
  readonly code = "UNSUPPORTED_URL";
  readonly status = 400;
}

export class VideoNotFoundError extends DowntubeError {
  readonly code = "VIDEO_NOT_FOUND";
  readonly status = 404;
}

/** A playlist or channel that does not exist, or that YouTube does not show (a private list). */
export class PlaylistNotFoundError extends DowntubeError {
  readonly code = "PLAYLIST_NOT_FOUND";
  readonly status = 404;
}

export class VideoPrivateError extends DowntubeError {
  readonly code = "VIDEO_PRIVATE";
  readonly status = 403;
}

export class AgeRestrictedError extends DowntubeError {
  readonly code = "AGE_RESTRICTED";
  readonly status = 403;
}

/** Removed, blocked, paid-only or otherwise unplayable. 451 fits a legal block; 403 the rest. */
export class VideoUnavailableError extends DowntubeError {
  readonly code = "VIDEO_UNAVAILABLE";
  readonly status: number;
  constructor(message: string, options?: { cause?: unknown; status?: 403 | 451 }) {
    super(message, options);
    this.status = options?.status ?? 403;
  }
}

export class LiveNotSupportedError extends DowntubeError {
  readonly code = "LIVE_NOT_SUPPORTED";
  readonly status = 409;
}

export class FormatNotFoundError extends DowntubeError {
  readonly code = "FORMAT_NOT_FOUND";
  readonly status = 404;
}

/** The video has no caption track in the language (and kind) asked for. */
export class CaptionsNotFoundError extends DowntubeError {
  readonly code = "CAPTIONS_NOT_FOUND";
  readonly status = 404;
}

/** A Range none of whose bytes the file has: 416, with a Content-Range naming the size. */
export class RangeNotSatisfiableError extends DowntubeError {
  readonly code = "RANGE_NOT_SATISFIABLE";
  readonly status = 416;
  override readonly headers: Readonly<Record<string, string>>;
  /** `headers`: the unsatisfied Content-Range, Accept-Ranges and the file's ETag. */
  constructor(message: string, headers: Readonly<Record<string, string>>) {
    super(message);
    this.headers = headers;
  }
}

export class TokenInvalidError extends DowntubeError {
  readonly code = "TOKEN_INVALID";
  readonly status = 401;
}

export class TokenExpiredError extends DowntubeError {
  readonly code = "TOKEN_EXPIRED";
  readonly status = 410;
}

export class TokenUsedError extends DowntubeError {
  readonly code = "TOKEN_USED";
  readonly status = 410;
}

export class RateLimitedError extends DowntubeError {
  readonly code = "RATE_LIMITED";
  readonly status = 429;
  override readonly headers: Readonly<Record<string, string>>;
  /** `headers`: Retry-After plus the RateLimit-* fields of the window that ran out. */
  constructor(message: string, headers: Readonly<Record<string, string>>) {
    super(message);
    this.headers = headers;
  }
}

/** Every stream slot (of this client, or of the whole gateway) is taken. */
export class TooManyStreamsError extends DowntubeError {
  readonly code = "TOO_MANY_STREAMS";
  readonly status = 503;
  override readonly headers = { "Retry-After": "5" };
}

/** A merged download needs ffmpeg, and this instance has none (`DOWNTUBE_FFMPEG`). */
export class MergeUnavailableError extends DowntubeError {
  readonly code = "MERGE_UNAVAILABLE";
  readonly status = 503;
}

/**
 * A download made by ffmpeg (an audio file, a clip, embedded captions) needs ffmpeg, and this
 * instance has none (`DOWNTUBE_FFMPEG`). Merges keep their own code, `MERGE_UNAVAILABLE`.
 */
export class FfmpegUnavailableError extends DowntubeError {
  readonly code = "FFMPEG_UNAVAILABLE";
  readonly status = 503;
}

/** An API key is required (`DOWNTUBE_API_KEYS` is set) and none, or a wrong one, was given. */
export class UnauthenticatedError extends DowntubeError {
  readonly code = "UNAUTHENTICATED";
  readonly status = 401;
  override readonly headers = { "WWW-Authenticate": 'Bearer realm="downtube"' };
}

export class UpstreamError extends DowntubeError {
  readonly code = "UPSTREAM_ERROR";
  readonly status = 502;
}

/**
 * The origin refused a media URL it handed out (googlevideo answers 403 once a URL expires):
 * worth one fresh extraction before giving up.
 */
export class MediaUrlExpiredError extends UpstreamError {}

/**
 * A value from YouTube's answer that would be spliced into evaluated player code is not what
 * YouTube sends (an `n`, `s` or `sp` outside its alphabet): refused, never run.
 */
export class UnsafePlayerInputError extends UpstreamError {}

export class UpstreamTimeoutError extends DowntubeError {
  readonly code = "UPSTREAM_TIMEOUT";
  readonly status = 504;
}

/**
 * How YouTube pushed back on the requester (not on the video): `bot_check` (playability
 * LOGIN_REQUIRED "Sign in to confirm you're not a bot"), `po_token_required` (an answer that asks
 * for a proof-of-origin token), `media_refused` (a media 403 that a fresh extraction did not fix).
 */
export type ChallengeKind = "bot_check" | "po_token_required" | "media_refused";

/**
 * YouTube refused the gateway's address, not the video: answered 503 with `Retry-After`. Never a
 * verdict about the video (never cached as one); what helps is on the operator's side: cookies of
 * a signed-in account, a PO token, another egress.
 */
export class YouTubeChallengeError extends DowntubeError {
  readonly code = "YOUTUBE_CHALLENGE";
  readonly status = 503;
  override readonly headers: Readonly<Record<string, string>>;
  readonly kind: ChallengeKind;
  /** `retryAfterSeconds`: when asking again may pass (an egress at rest comes back). */
  constructor(
    message: string,
    options: { kind: ChallengeKind; retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(message, options);
    this.kind = options.kind;
    this.headers = { "Retry-After": String(Math.max(1, Math.ceil(options.retryAfterSeconds ?? 60))) };
  }
}

/** The shared store (Redis) does not answer: the gateway cannot count or cache right now. */
export class StoreUnavailableError extends DowntubeError {
  readonly code = "STORE_UNAVAILABLE";
  readonly status = 503;
  override readonly headers = { "Retry-After": "5" };
}

/**
 * A GraphQL request a browser could send from another site without a CORS preflight (a GET, or
 * a form content type) came without the header that proves a script sent it.
 */
export class CsrfHeaderRequiredError extends DowntubeError {
  readonly code = "CSRF_HEADER_REQUIRED";
  readonly status = 403;
}

/**
 * A direct media URL leads (by its address, its name's addresses or a redirect) to an address the
 * gateway may not reach: loopback, private, link-local, metadata… Refused before any connection.
 */
export class ForbiddenAddressError extends DowntubeError {
  readonly code = "FORBIDDEN_ADDRESS";
  readonly status = 403;
}

/** A direct URL's origin answers with something that is not audio or video (a page of HTML…). */
export class UnsupportedMediaError extends DowntubeError {
  readonly code = "UNSUPPORTED_MEDIA";
  readonly status = 415;
}

/** A direct URL's file is larger than `DOWNTUBE_HTTP_SOURCE_MAX_BYTES`. */
export class MediaTooLargeError extends DowntubeError {
  readonly code = "MEDIA_TOO_LARGE";
  readonly status = 413;
}

/**
 * The warning an expected error deserves in the operator's log, or undefined when the client's
 * answer says all there is: an origin that failed, and a direct URL refused by the address check
 * (the operator may have meant to allow it; the log line has the address, the answer does not).
 */
export function operatorWarning(error: DowntubeError): string | undefined {
  if (error.code.startsWith("UPSTREAM_")) return "upstream failure";
  if (error.code === "FORBIDDEN_ADDRESS") return "direct media URL refused: its address is forbidden";
  return undefined;
}
