import { FormatNotFoundError, LiveNotSupportedError, MediaUrlExpiredError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { ByteRange } from "../core/ports.ts";
import type { MediaFormat, VideoRef } from "../core/video.ts";
import type { VideoService } from "../core/video-service.ts";
import { errorResponse, jsonError } from "../http/json-error.ts";
import { withOwnedChunks } from "../http/owned-chunks.ts";
import type { Client } from "../limits/client-identity.ts";
import type { RateLimiter } from "../limits/rate-limiter.ts";
import type { StreamSlots } from "../limits/stream-slots.ts";
import { formatContentDisposition } from "./content-disposition.ts";
import { essenceOf } from "./download-tickets.ts";
import {
  formatContentRange,
  formatUnsatisfiedRange,
  ifRangeAllowsRange,
  parseRange,
  rangeLength,
} from "./range.ts";
import type { TokenService } from "./token-service.ts";
import type { TokenUseCounter } from "./token-uses.ts";

export interface DownloadHandlerDeps {
  readonly limiter: RateLimiter;
  readonly slots: StreamSlots;
  readonly videos: VideoService;
  readonly tokens: TokenService;
  readonly uses: TokenUseCounter;
  readonly log: Logger;
}

/**
 * `GET|HEAD /download/:token`: verifies the token, re-resolves its format through the metadata
 * cache, and streams the bytes from the origin with an exact Content-Length, Range support and
 * the file name the token carries. The status line goes out only once the origin has answered;
 * a media URL the origin refuses is re-extracted once.
 */
export function createDownloadHandler(deps: DownloadHandlerDeps) {
  const formatOf = async (ref: VideoRef, itag: number, fresh: boolean): Promise<MediaFormat> => {
    const info = await deps.videos.getInfo(ref, { fresh });
    const format = info.formats.find((f) => f.itag === itag);
    if (format === undefined)
      throw new FormatNotFoundError("this video no longer offers the format of the token");
    if (format.isManifest) throw new LiveNotSupportedError("this format is a live manifest, not a file");
    return format;
  };

  const serve = async (
    request: Request,
    token: string,
    client: Client,
    onClose: (callback: () => void) => void,
  ): Promise<Response> => {
    // Counted before the token is even checked: guessing tokens costs allowance too.
    await deps.limiter.take("download", client.id);
    const claims = await deps.tokens.verify(token);
    const ref: VideoRef = { source: claims.source, id: claims.videoId };
    const source = deps.videos.sourceOf(ref);
    const format = await formatOf(ref, claims.itag, false);
    const size = await source.sizeOf(format, request.signal);
    // Strong: the bytes of one format of one video never change.
    const etag = `"${ref.source}-${ref.id}-${format.itag}-${size}"`;
    const headers: Record<string, string> = {
      "Content-Type": essenceOf(format.mimeType),
      "Content-Disposition": formatContentDisposition(claims.disposition, claims.filename),
      "Accept-Ranges": "bytes",
      ETag: etag,
      "Cache-Control": "private, no-transform",
      "X-Content-Type-Options": "nosniff",
    };

    const rangeHeader = ifRangeAllowsRange(request.headers.get("if-range"), { etag })
      ? request.headers.get("range")
      : null;
    const requested = parseRange(rangeHeader, size);
    if (requested.kind === "unsatisfiable") {
      return jsonError(416, "RANGE_NOT_SATISFIABLE", `the file has ${size} bytes`, {
        "Content-Range": formatUnsatisfiedRange(size),
        "Accept-Ranges": "bytes",
        ETag: etag,
      });
    }
    const range: ByteRange = requested.kind === "partial" ? requested.range : { start: 0, end: size - 1 };
    const status = requested.kind === "partial" ? 206 : 200;
    headers["Content-Length"] = String(size === 0 ? 0 : rangeLength(range));
    if (status === 206) headers["Content-Range"] = formatContentRange(range, size);

    // A used-up token answers 410 before anything else, to HEAD as to GET.
    await deps.uses.check(claims, size);
    if (request.method === "HEAD" || size === 0) return new Response(null, { status, headers });

    // A stream holds its slot until the response is over, however it ends.
    const release = deps.slots.acquire(client.id);
    onClose(release);
    const media = await source.open(ref, format, range, request.signal).catch(async (error: unknown) => {
      if (!(error instanceof MediaUrlExpiredError)) throw error;
      deps.log.info("media URL refused by the origin; extracting again", {
        video: ref.id,
        itag: format.itag,
      });
      return source.open(ref, await formatOf(ref, claims.itag, true), range, request.signal);
    });
    // `maxUses` counts the bytes actually sent, so an origin failure costs nothing.
    return new Response(withOwnedChunks(deps.uses.meter(claims, size, media.body)), { status, headers });
  };

  return async (
    request: Request,
    token: string,
    client: Client,
    onClose: (callback: () => void) => void,
  ): Promise<Response> => {
    try {
      return await serve(request, token, client, onClose);
    } catch (error) {
      // The client went away before any byte: nobody is left to read an answer.
      if (request.signal.aborted) return new Response(null, { status: 499 });
      return errorResponse(error, deps.log);
    }
  };
}
