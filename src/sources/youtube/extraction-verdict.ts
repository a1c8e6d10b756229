import {
  AgeRestrictedError,
  LiveNotSupportedError,
  VideoNotFoundError,
  VideoPrivateError,
  VideoUnavailableError,
} from "../../core/errors.ts";

/**
 * True when an extraction error is YouTube's verdict about the video (not found, private, age
 * gate, unavailable or paid, live): another extractor would get the same answer, so it is
 * final. Anything else is a failure of the extractor (a page it cannot parse, a decipher that
 * fails, an unexpected answer, a 5xx) and the next extractor may succeed.
 */
export function isVerdict(error: unknown): boolean {
  return (
    error instanceof VideoNotFoundError ||
    error instanceof VideoPrivateError ||
    error instanceof AgeRestrictedError ||
    error instanceof VideoUnavailableError ||
    error instanceof LiveNotSupportedError
  );
}
