import { DowntubeError, UpstreamError, UpstreamTimeoutError } from "../core/errors.ts";
import type { ImageBytes } from "../core/ports.ts";
import { imageTypeOf } from "../core/thumbnails.ts";
import { readCappedBytes } from "./read-capped.ts";

/** Largest thumbnail fetched, in bytes: YouTube's biggest (1280×720 JPEG) stay well under it. */
export const MAX_THUMBNAIL_BYTES = 512 * 1024;

export interface ImageFetchOptions {
  /** How the source reaches the image (its own checks and routing apply). */
  readonly fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** Budget for the whole image, answer and body, in milliseconds. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/**
 * Fetches one small image (a thumbnail) whole, within a time and size budget. Resolves with its
 * bytes and their image type, read from the bytes (JPEG, PNG, WebP, GIF or AVIF; anything else,
 * SVG included, is refused). Throws `UpstreamError` for a
 * failed answer, a type that is not an image or a body over `maxBytes`; `UpstreamTimeoutError`
 * past `timeoutMs`; `signal`'s reason when the caller gives up.
 */
export async function fetchImage(
  options: ImageFetchOptions,
  url: string,
  signal: AbortSignal,
): Promise<ImageBytes> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const abort = AbortSignal.any([signal, timeout]);
  try {
    const response = await options.fetch(url, { signal: abort });
    const contentType =
      (response.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (response.status !== 200 || !contentType.startsWith("image/")) {
      await response.body?.cancel();
      throw new UpstreamError(
        `the image origin answered HTTP ${response.status} (${contentType || "no type"})`,
      );
    }
    const bytes = await readCappedBytes(response, options.maxBytes, "the image");
    // The bytes decide, never the declared type alone: HTML or SVG (script) labelled image/jpeg is refused.
    const type = imageTypeOf(bytes);
    if (type === undefined) throw new UpstreamError("the image origin's answer is not an image");
    return { bytes, contentType: type };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (timeout.aborted)
      throw new UpstreamTimeoutError("the image origin did not answer in time", { cause: error });
    if (error instanceof DowntubeError) throw error;
    throw new UpstreamError("could not fetch the image", { cause: error });
  }
}
