import { DowntubeError, UpstreamError, UpstreamTimeoutError } from "../../core/errors.ts";
import { imageTypeOf, type ThumbnailFetcher } from "../../core/thumbnails.ts";
import { createYouTubeFetch } from "./youtube-fetch.ts";

export interface YouTubeThumbnailsOptions {
  /** The platform fetch. */
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** `DOWNTUBE_YOUTUBE_ORIGIN`: where the image host's requests go instead (the simulated YouTube). */
  readonly origin: URL | undefined;
  /** How long the whole fetch may take, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest thumbnail read, in bytes: a larger one is refused, not cut. */
  readonly maxBytes: number;
}

/** Reads a body to its end, refusing it once it passes `maxBytes`. */
async function readCapped(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array[] = [];
  let length = 0;
  const reader = body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    length += read.value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => undefined); // already refused; a failing cancel changes nothing
      throw new UpstreamError(`the video's thumbnail is larger than ${maxBytes} bytes`);
    }
    parts.push(read.value);
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return bytes;
}

/**
 * The YouTube thumbnail fetcher: a URL the extractor read from YouTube's answer (`i.ytimg.com`),
 * fetched through the same checked fetch as metadata (YouTube's hosts only, redirects checked,
 * routed to `DOWNTUBE_YOUTUBE_ORIGIN`), within `timeoutMs`, at most `maxBytes`, and only when
 * the answer is an image by its type and its bytes. Sends nothing of the client's request.
 */
export function createYouTubeThumbnails(options: YouTubeThumbnailsOptions): ThumbnailFetcher {
  const youtubeFetch = createYouTubeFetch({ fetch: options.fetch, origin: options.origin });
  return async (url, signal) => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const abort = AbortSignal.any([signal, timeout]);
    try {
      const response = await youtubeFetch(url, { signal: abort, headers: { Accept: "image/*" } });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new UpstreamError(`YouTube answered HTTP ${response.status} for the video's thumbnail`);
      }
      const declared = response.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
      const length = Number(response.headers.get("content-length") ?? 0);
      if (!declared.startsWith("image/") || length > options.maxBytes || response.body === null) {
        await response.body?.cancel();
        throw new UpstreamError(
          "YouTube's answer for the video's thumbnail is not an image of a usable size",
        );
      }
      const bytes = await readCapped(response.body, options.maxBytes);
      const type = imageTypeOf(bytes);
      if (type === undefined)
        throw new UpstreamError("YouTube's answer for the video's thumbnail is not an image");
      return { type, bytes };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (error instanceof DowntubeError) throw error;
      if (timeout.aborted)
        throw new UpstreamTimeoutError("YouTube did not send the thumbnail in time", { cause: error });
      throw new UpstreamError("could not reach YouTube for the video's thumbnail", { cause: error });
    }
  };
}
