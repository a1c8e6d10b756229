import { DowntubeError, UpstreamError } from "../core/errors.ts";
import type { ByteRange } from "../core/ports.ts";
import { type OriginRequestOptions, readWithin, requestRange } from "./origin-request.ts";

export interface RangedFetchOptions extends OriginRequestOptions {
  readonly url: string;
  /** Inclusive byte range to deliver, already checked against the size. */
  readonly range: ByteRange;
  /** Largest range asked of the origin in one request (googlevideo throttles long unranged reads). */
  readonly chunkBytes: number;
  /** Aborted when the client goes away: cancels the origin request at once. */
  readonly signal: AbortSignal;
  /** Told where each media request was answered, after any redirect (see `RedirectMemo`). */
  readonly onAnswered?: (finalUrl: string) => void;
}

/**
 * Streams `range` of a resource as consecutive ranged requests of at most `chunkBytes`. The
 * first request is answered and its first bytes have arrived before this resolves, so an origin
 * that fails before the first byte is a typed error the route can still answer with (never a
 * status line followed by nothing). Each next request is made when the consumer has read the
 * previous one, so memory stays flat whatever the size. A chunk that comes back short, fails or
 * goes silent for `timeoutMs` later errors the stream (the client sees the truncation against
 * its Content-Length).
 */
export async function openRanged(options: RangedFetchOptions): Promise<ReadableStream<Uint8Array>> {
  const { range, chunkBytes } = options;
  const upstream = new AbortController();
  const onClientGone = () => upstream.abort(options.signal.reason);
  options.signal.addEventListener("abort", onClientGone, { once: true });

  const chunkEnd = (start: number) => Math.min(start + chunkBytes - 1, range.end);
  let next = range.start;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let expected = 0;
  // Where the media answered from: after a redirect (googlevideo sends some), the next chunks go
  // straight to its target instead of paying the extra round trip each time.
  let url = options.url;
  // The next chunk is asked for once the current one has delivered its first bytes, so the
  // origin's latency overlaps the transfer instead of stalling it once per chunk, and the first
  // answer does not wait behind a second request. Only its headers are awaited ahead: its body
  // waits in the socket, so memory stays bounded.
  let ahead: { start: number; end: number; response: Promise<Response> } | undefined;

  const request = (start: number) => {
    const end = chunkEnd(start);
    const response = requestRange(options, url, start, end, upstream.signal);
    response.catch(() => undefined); // awaited when its turn comes; not an unhandled rejection meanwhile
    return { start, end, response };
  };

  const begin = async () => {
    const chunk = ahead ?? request(next);
    ahead = undefined;
    const response = await chunk.response;
    if (response.body === null) throw new UpstreamError("the origin sent no media body");
    if (response.redirected) url = response.url;
    options.onAnswered?.(url);
    reader = response.body.getReader();
    expected = chunk.end - chunk.start + 1;
    next = chunk.end + 1;
  };
  const finish = () => options.signal.removeEventListener("abort", onClientGone);

  /** The next bytes of the range, or undefined once all of it has been delivered. */
  const readNext = async (): Promise<Uint8Array | undefined> => {
    for (;;) {
      const current = reader;
      if (current === undefined) return undefined;
      if (expected === 0 && next > range.end) {
        // Every byte of the range is out: end now rather than after the origin's own end of
        // body, which a slow origin may send late, so the response (and its slot) closes at once.
        reader = undefined;
        finish();
        void current.cancel().catch(() => undefined); // nothing is left to read: a failed cancel changes nothing
        return undefined;
      }
      const read = await readWithin(current, options.timeoutMs, upstream);
      if (!read.done) {
        expected -= read.value.byteLength;
        if (expected < 0) throw new UpstreamError("the origin sent more bytes than asked for");
        if (ahead === undefined && next <= range.end) ahead = request(next);
        return read.value;
      }
      if (expected !== 0) throw new UpstreamError("the origin closed the media connection early");
      if (next > range.end) {
        reader = undefined;
        finish();
        return undefined;
      }
      await begin();
    }
  };

  let first: Uint8Array | undefined;
  try {
    await begin();
    first = await readNext();
  } catch (error) {
    finish();
    upstream.abort(error);
    if (error instanceof DowntubeError || options.signal.aborted) throw error;
    throw new UpstreamError("the origin's media connection failed before the first byte", { cause: error });
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const bytes = first ?? (await readNext());
          first = undefined;
          if (bytes === undefined) controller.close();
          else controller.enqueue(bytes);
        } catch (error) {
          finish();
          upstream.abort(error);
          controller.error(error);
        }
      },
      async cancel(reason) {
        finish();
        upstream.abort(reason);
        // The origin connection is already aborted; a reader that errored because of it has nothing to add.
        await reader?.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
