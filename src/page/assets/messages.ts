/**
 * What the page says when something goes wrong: plain words for a person, never a code, JSON or
 * a stack. The gateway's error codes are the contract (see the README's error table).
 */
import { ApiError, GatewayUnreachableError } from "./graphql.js";

const NOT_A_LINK =
  "That does not look like a YouTube video link. Paste a whole link, such as " +
  "https://www.youtube.com/watch?v=…, or an 11-character video id.";

const BY_CODE: Readonly<Record<string, string>> = {
  VIDEO_PRIVATE:
    "This video is private: only people its owner chose can watch it, so it cannot be downloaded.",
  AGE_RESTRICTED:
    "This video is age-restricted: YouTube shows it only to signed-in adults, so it cannot be downloaded here.",
  VIDEO_UNAVAILABLE:
    "This video is not available: it may have been removed, blocked in this country, or be for members only.",
  VIDEO_NOT_FOUND: "There is no video at this link. Check that you copied the whole link.",
  PLAYLIST_NOT_FOUND:
    "There is no playlist or channel at this link, or it is private. Check that you copied the whole link.",
  UNSUPPORTED_URL: NOT_A_LINK,
  BAD_USER_INPUT: NOT_A_LINK,
  LIVE_NOT_SUPPORTED: "This is a live stream. It can be downloaded once the broadcast has ended.",
  FORMAT_NOT_FOUND:
    "That choice is no longer offered for this video. Look the link up again and pick another.",
  FORBIDDEN_ADDRESS: "This gateway may not fetch files from that address.",
  UNSUPPORTED_MEDIA: "That link leads to a page or file that is not audio or video.",
  MEDIA_TOO_LARGE: "That file is larger than this gateway serves.",
  MERGE_UNAVAILABLE: "Combining picture and sound is not possible right now. Pick another choice.",
  UNAUTHENTICATED: "This gateway needs a valid API key. Enter it in the API key field and try again.",
  UPSTREAM_ERROR: "YouTube did not answer properly. Try again in a moment.",
  UPSTREAM_TIMEOUT: "YouTube took too long to answer. Try again in a moment.",
};

/** "in 42 s": the wait a `Retry-After` asked for. */
const inSeconds = (seconds: number) => `in ${seconds} s`;

/**
 * The sentence for one of the gateway's error codes; `retryAfterSeconds` is the wait its answer
 * asked for, if any.
 */
export function messageForCode(code: string, retryAfterSeconds?: number): string {
  switch (code) {
    case "RATE_LIMITED":
      return `Too many requests from you in a short time. Try again ${inSeconds(retryAfterSeconds ?? 60)}.`;
    case "TOO_MANY_STREAMS":
    case "STORE_UNAVAILABLE":
      return `The gateway is busy. Try again ${inSeconds(retryAfterSeconds ?? 5)}.`;
    default:
      return BY_CODE[code] ?? "Something went wrong on the gateway. Try again in a moment.";
  }
}

/** The sentence to show for an error thrown while looking up or preparing a download. */
export function messageFor(error: unknown): string {
  if (error instanceof GatewayUnreachableError) {
    return "The downtube gateway cannot be reached. Check your connection, then try again.";
  }
  if (error instanceof ApiError) return messageForCode(error.code, error.retryAfterSeconds);
  return "Something went wrong in this page. Reload it and try again.";
}
