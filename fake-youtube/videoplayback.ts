/**
 * `/videoplayback`: the googlevideo media endpoint. Checks the URL as googlevideo would (expiry,
 * signature, n), then serves the file with `Range` support, streamed from disk by `Bun.file`.
 */
import type { CatalogVideo } from "./catalog.ts";
import type { Hit, HitLog } from "./hit-log.ts";
import type { MediaFile } from "./media.ts";
import { expectedSignature, originalN, transformN } from "./player-js.ts";

/** Pace of the `trickle` media behaviour. */
export interface TrickleOptions {
  /** Bytes per chunk. @default 16384 */
  chunkBytes?: number;
  /** Pause between chunks, in milliseconds. @default 25 */
  intervalMs?: number;
}

/** What the handler needs from the server. */
export interface VideoplaybackContext {
  hits: HitLog;
  hit: Hit;
  /** Current time in Unix seconds (compared with `expire`). */
  nowSeconds: number;
  /** The video of an id: the catalog's, or one declared by the server's options. */
  videoFor(id: string): CatalogVideo | undefined;
  /** The file behind `itag` of `video`, or undefined when the video does not offer it. */
  fileFor(video: CatalogVideo, itag: number): MediaFile | undefined;
  /** Where an `external` video's bytes live (answered with a redirect), or undefined. */
  externalUrlOf(video: CatalogVideo): string | undefined;
  trickle: Required<TrickleOptions>;
  /** A strict YouTube's refusal of a request ending at byte `end` (address, PO token), or undefined. */
  refuse?(query: URLSearchParams, end: number): string | undefined;
}

/** A byte range, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a single `bytes=` range against `size`: `a-b`, `a-` and `-n`. Returns undefined when
 * there is no usable range (absent, malformed or multi-range: the whole file is served) and
 * "unsatisfiable" when it starts past the end or asks for zero bytes.
 */
export function parseRange(header: string | null, size: number): ByteRange | "unsatisfiable" | undefined {
  const match = header === null ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [, from = "", to = ""] = match;
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

function plain(status: number, text: string): Response {
  return new Response(`${text}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** Why googlevideo would refuse this URL, or undefined when it is valid. */
function refusal(
  video: CatalogVideo,
  query: URLSearchParams,
  itag: number,
  nowSeconds: number,
): string | undefined {
  const expire = Number(query.get("expire"));
  if (!Number.isInteger(expire) || expire <= nowSeconds) return "URL expired";
  if (query.get("sig") !== expectedSignature(video.id, itag, expire)) return "bad signature";
  if (video.cipher && query.get("n") !== transformN(originalN(video.id, itag))) return "n not transformed";
  return undefined;
}

function chunked(
  bytes: Uint8Array,
  ctx: VideoplaybackContext,
  signal: AbortSignal,
  stopAt: number,
): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= stopAt) {
        if (stopAt < bytes.length) {
          // The declared length is never reached: the connection is reset mid-body.
          // No reason given: Bun.serve prints a stream's error with its source, and this cut is on purpose.
          controller.error();
        } else controller.close();
        return;
      }
      const next = Math.min(offset + ctx.trickle.chunkBytes, stopAt);
      controller.enqueue(bytes.slice(offset, next));
      offset = next;
      if (ctx.trickle.intervalMs > 0) await Bun.sleep(ctx.trickle.intervalMs);
      if (signal.aborted) controller.close();
    },
    cancel() {
      ctx.hits.markAborted(ctx.hit);
    },
  });
}

/** Answers a `GET`/`HEAD /videoplayback?…` request. */
export async function serveVideoplayback(
  req: Request,
  url: URL,
  ctx: VideoplaybackContext,
): Promise<Response> {
  const query = url.searchParams;
  const video = ctx.videoFor(query.get("id") ?? "");
  const itag = Number(query.get("itag"));
  const file = video ? ctx.fileFor(video, itag) : undefined;
  if (!video || !file) return plain(404, "no such media");
  const why = refusal(video, query, itag, ctx.nowSeconds);
  if (why) return plain(403, why);
  if (video.media === "unavailable") return plain(503, "media backend unavailable");
  if (video.media === "audio-unavailable" && !file.hasVideo) return plain(503, "audio backend unavailable");
  // googlevideo redirects to another host now and then; here the bytes are another server's.
  const external = ctx.externalUrlOf(video);
  if (external !== undefined) return Response.redirect(external, 302);

  const range = parseRange(req.headers.get("range") ?? rangeFromQuery(query), file.size);
  const headers = new Headers({
    "content-type": file.contentType,
    "accept-ranges": "bytes",
    "cache-control": "private, max-age=21298",
    "last-modified": "Fri, 15 Mar 2024 00:00:00 GMT",
  });
  if (range === "unsatisfiable") {
    headers.set("content-range", `bytes */${file.size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: file.size - 1 };
  const strictly = ctx.refuse?.(query, end);
  if (strictly !== undefined) return plain(403, strictly);
  const status = range && !query.has("range") ? 206 : 200;
  if (status === 206) headers.set("content-range", `bytes ${start}-${end}/${file.size}`);
  headers.set("content-length", String(end - start + 1));
  if (req.method === "HEAD") return new Response(null, { status, headers });

  req.signal.addEventListener("abort", () => ctx.hits.markAborted(ctx.hit), { once: true });
  if (video.media === "truncated" || video.media === "trickle") {
    // Streamed bodies lose Content-Length under Bun.serve (chunked framing instead).
    const bytes = new Uint8Array(
      await Bun.file(file.path)
        .slice(start, end + 1)
        .arrayBuffer(),
    );
    const stopAt = video.media === "truncated" ? Math.floor(bytes.length / 2) : bytes.length;
    const trickle =
      video.media === "trickle" ? ctx : { ...ctx, trickle: { chunkBytes: 64 * 1024, intervalMs: 0 } };
    return new Response(chunked(bytes, trickle, req.signal, stopAt), { status, headers });
  }
  if (video.media === "long") {
    return new Response(
      counted(
        Bun.file(file.path)
          .slice(start, end + 1)
          .stream(),
        ctx,
      ),
      { status, headers },
    );
  }
  return new Response(Bun.file(file.path).slice(start, end + 1), { status, headers });
}

/** `body`, each chunk counted into the hit's `bytesSent` as it is handed to the connection. */
function counted(body: ReadableStream<Uint8Array>, ctx: VideoplaybackContext): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  ctx.hit.bytesSent = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const read = await reader.read();
        if (read.done) {
          controller.close();
          return;
        }
        ctx.hit.bytesSent = (ctx.hit.bytesSent ?? 0) + read.value.byteLength;
        controller.enqueue(read.value);
      },
      cancel(reason) {
        ctx.hits.markAborted(ctx.hit);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** googlevideo also takes the range as `&range=a-b` (answered with 200, not 206). */
function rangeFromQuery(query: URLSearchParams): string | null {
  const value = query.get("range");
  return value === null ? null : `bytes=${value}`;
}
