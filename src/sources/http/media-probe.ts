import {
  MediaTooLargeError,
  UnsupportedMediaError,
  UpstreamError,
  VideoNotFoundError,
  VideoPrivateError,
} from "../../core/errors.ts";
import { hostOf } from "../../core/host-rule.ts";
import type { MediaFormat, VideoInfo } from "../../core/video.ts";
import { mediaTitle } from "./media-title.ts";
import type { PinnedFetch } from "./pinned-fetch.ts";

/** The one format id of a direct URL: it has exactly one file. */
export const DIRECT_FORMAT_ID = 1;

/** The media type without parameters, lower case; empty when absent. */
export function essenceOfHeader(value: string | null): string {
  return (value ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Audio or video, and not a playlist or manifest that names other files. */
export function isMediaType(essence: string): boolean {
  if (/mpegurl|dash\+xml|f4m/.test(essence)) return false;
  return (
    /^(video|audio)\/[a-z0-9][\w.+-]*$/.test(essence) ||
    essence === "application/ogg" ||
    essence === "application/mp4"
  );
}

const CONTAINERS: Readonly<Record<string, string>> = {
  "video/mp4": "mp4",
  "audio/mp4": "mp4",
  "application/mp4": "mp4",
  "video/webm": "webm",
  "audio/webm": "webm",
  "video/x-matroska": "mkv",
  "video/quicktime": "mov",
  "video/ogg": "ogg",
  "audio/ogg": "ogg",
  "application/ogg": "ogg",
  "audio/mpeg": "mp3",
  "video/mp2t": "ts",
};

/**
 * A failed answer as the error of this source. The origin's words (status text, body) are not
 * repeated: only the status number.
 */
export function failureOf(status: number): Error {
  if (status === 404 || status === 410) return new VideoNotFoundError("the media origin has no such file");
  if (status === 401 || status === 403)
    return new VideoPrivateError("the media origin refuses to serve this file");
  return new UpstreamError(`the media origin answered HTTP ${status}`);
}

function sizeOf(response: Response): number | undefined {
  const header =
    response.status === 206
      ? /^bytes \d+-\d+\/(\d+)$/.exec(response.headers.get("content-range")?.trim() ?? "")?.[1]
      : response.headers.get("content-length")?.trim();
  if (header === undefined || !/^\d{1,16}$/.test(header)) return undefined;
  return Number(header);
}

function revisionOf(response: Response): string | undefined {
  const etag = response.headers.get("etag");
  // Only a strong validator may guard a range (RFC 9110 §13.1.5); weak ones are not used.
  if (etag !== null && /^"[\x21\x23-\x7e]{0,256}"$/.test(etag)) return etag;
  const modified = response.headers.get("last-modified");
  return modified !== null && !Number.isNaN(Date.parse(modified)) ? modified : undefined;
}

const HEAD_REFUSALS = new Set([400, 403, 405, 501]);

export interface ProbeOptions {
  readonly connector: PinnedFetch;
  /** Budget of the whole probe (every hop, HEAD and the fallback GET), in milliseconds. */
  readonly timeoutMs: number;
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;
}

/**
 * Asks the origin what a URL holds with one `HEAD` (a `GET` of `bytes=0-0` when `HEAD` is
 * refused or tells no size) and describes it as a video of one format. What the origin cannot know (channel,
 * duration) is left undefined. Throws `UnsupportedMediaError` for a non-media type,
 * `MediaTooLargeError` above `maxBytes`, the connector's refusals, `VideoNotFoundError`,
 * `VideoPrivateError`, `UpstreamError` (no size, failures) and `UpstreamTimeoutError`.
 */
export async function probeMedia(options: ProbeOptions, url: URL, signal: AbortSignal): Promise<VideoInfo> {
  let { response } = await options.connector.request(url, { method: "HEAD", signal });
  // Refused: 405/501, or 400/403 from URLs signed for GET alone (S3-style); a HEAD without a size
  // says too little. The one-byte GET then answers the same questions.
  const headRefused =
    HEAD_REFUSALS.has(response.status) || (response.status === 200 && sizeOf(response) === undefined);
  if (headRefused) {
    await response.body?.cancel().catch(() => undefined); // a refusal's body says nothing we use
    ({ response } = await options.connector.request(url, {
      method: "GET",
      headers: { Range: "bytes=0-0" },
      signal,
    }));
    await response.body?.cancel().catch(() => undefined); // the one byte is not needed
  }
  if (response.status !== 200 && response.status !== 206) throw failureOf(response.status);
  const essence = essenceOfHeader(response.headers.get("content-type"));
  if (!isMediaType(essence))
    throw new UnsupportedMediaError("the URL does not point at an audio or video file");
  const size = sizeOf(response);
  if (size === undefined) throw new UpstreamError("the media origin does not tell the file's size");
  if (size > options.maxBytes)
    throw new MediaTooLargeError(`the file is larger than this gateway serves (${options.maxBytes} bytes)`);
  const acceptsRanges = headRefused
    ? response.status === 206
    : /(^|,)\s*bytes\s*(,|$)/i.test(response.headers.get("accept-ranges") ?? "");

  const isVideo = essence.startsWith("video/");
  const format: MediaFormat = {
    itag: DIRECT_FORMAT_ID,
    mimeType: essence,
    container: CONTAINERS[essence],
    qualityLabel: undefined,
    width: undefined,
    height: undefined,
    fps: undefined,
    bitrate: undefined,
    audioBitrate: undefined,
    contentLength: size,
    hasVideo: isVideo,
    // Unknown for a video file; most carry sound, and a muxed default must find the one format.
    hasAudio: true,
    videoCodec: undefined,
    audioCodec: undefined,
    isManifest: false,
    acceptsRanges,
    revision: revisionOf(response),
    url: url.href,
  };
  return {
    ref: { source: "http", id: url.href },
    url: url.href,
    title: mediaTitle(response.headers.get("content-disposition"), url) ?? hostOf(url),
    description: undefined,
    author: undefined,
    durationSeconds: undefined,
    viewCount: undefined,
    publishDate: undefined,
    isLive: false,
    thumbnails: [],
    chapters: [],
    formats: [format],
    captions: [],
    captionTranslationLanguages: [],
  };
}
