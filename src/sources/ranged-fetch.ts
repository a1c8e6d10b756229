import { DowntubeError, UpstreamError } from "../core/errors.ts";
import type { ByteRange } from "../core/ports.ts";
import { DEFAULT_EGRESS_ID } from "../core/video-service.ts";
import type { OriginConnections, ReleaseConnection } from "./origin-connections.ts";
import type { OriginRequestOptions } from "./origin-request.ts";
import { isExpiredUrl, type RangePart, startRangePart } from "./range-part.ts";
import { createRangeRamp } from "./range-ramp.ts";

/** How downloads may share the origin: the same for every download of a gateway. */
export interface ParallelReads {
  /** `DOWNTUBE_ORIGIN_PARALLEL_RANGES`: most ranges of one download requested and not yet delivered. */
  readonly ranges: number;
  /** The per-egress cap on requests open to origins (`DOWNTUBE_ORIGIN_MAX_CONNECTIONS`). */
  readonly connections: OriginConnections;
}

export interface RangedFetchOptions extends OriginRequestOptions {
  readonly url: string;
  /** Inclusive byte range to deliver, already checked against the size. */
  readonly range: ByteRange;
  /** Size of each range asked of the origin (googlevideo throttles long unranged reads). */
  readonly chunkBytes: number;
  /** Aborted when the client goes away: cancels every origin request at once. */
  readonly signal: AbortSignal;
  /** Told where each media request was answered, after any redirect (see `RedirectMemo`). */
  readonly onAnswered?: (finalUrl: string) => void;
  /** Ranges in flight and the connection cap; without it, one range at a time and no cap. */
  readonly parallel?: ParallelReads;
  /** Which egress the requests leave from (the connection cap counts per egress). @default "default" */
  readonly egressId?: string;
  /**
   * A fresh URL for the same bytes, when the origin refuses the current one (403/410) in the
   * middle of a download (the YouTube source extracts again). Without it, the range is asked
   * again at the same URL.
   */
  readonly refresh?: (signal: AbortSignal) => Promise<string>;
  /** A monotonic clock in milliseconds, for the ramp. @default performance.now */
  readonly now?: () => number;
}

/**
 * Streams `range` of a resource as ranged requests of `chunkBytes`, up to `parallel.ranges` of
 * them in flight, delivered strictly in order. It starts with one range and opens more only
 * while the client waits on the origin and each one added speeds the origin up (see `RangeRamp`).
 * A range is opened only when the client has taken an earlier one, so a slow client stops new
 * requests and at most `parallel.ranges × chunkBytes` bytes are ever held per download. Extra ranges take a connection slot only when one
 * is free; the next range a download needs waits for one.
 *
 * The first range is answered and its first bytes have arrived before this resolves, so an origin
 * that fails before the first byte is a typed error the route can still answer with (a 403 then
 * goes back to the planner, which extracts again). Any later range that fails, answers short or
 * goes silent for `timeoutMs` is asked once more for what is missing (at a refreshed URL after a
 * 403/410); a second failure errors the stream, so the client sees the truncation against its
 * Content-Length. The client leaving aborts every request of the download at once.
 */
export async function openRanged(options: RangedFetchOptions): Promise<ReadableStream<Uint8Array>> {
  const { range, chunkBytes, parallel } = options;
  const download = new AbortController();
  const onClientGone = () => download.abort(options.signal.reason);
  options.signal.addEventListener("abort", onClientGone, { once: true });
  const finish = () => options.signal.removeEventListener("abort", onClientGone);
  const fail = (error: unknown) => {
    finish();
    download.abort(error);
  };
  const now = options.now ?? (() => performance.now());
  const maxRanges = parallel?.ranges ?? 1;
  const ramp = createRangeRamp({
    max: maxRanges,
    // One range's worth per decision: long enough for the download's rate to show.
    windowBytes: chunkBytes,
    now,
  });
  const egressId = options.egressId ?? DEFAULT_EGRESS_ID;
  // Where the media answered from: after a redirect (googlevideo sends some), the next ranges go
  // straight to its target instead of paying the extra round trip each time.
  let url = options.url;
  let refreshed: Promise<string> | undefined;
  const retryUrl = async (failure: unknown, signal: AbortSignal) => {
    if (isExpiredUrl(failure) && options.refresh !== undefined) {
      // One fresh extraction per download, whichever range met the refusal first.
      refreshed ??= options.refresh(signal);
      url = await refreshed;
    }
    return url;
  };
  const onAnswered = (target: string) => {
    url = target;
    options.onAnswered?.(target);
  };

  const parts: RangePart[] = [];
  let next = range.start;
  /** Opens the next range; false when no connection slot is free for an extra one. */
  const open = (eager: boolean): boolean => {
    let connect: () => Promise<ReleaseConnection>;
    if (parallel === undefined) connect = async () => () => undefined;
    else if (parts.length === 0) {
      connect = () => parallel.connections.acquire(egressId, download.signal, options.timeoutMs);
    } else {
      const slot = parallel.connections.tryAcquire(egressId);
      if (slot === undefined) return false;
      connect = async () => slot;
    }
    const start = next;
    const end = Math.min(start + chunkBytes - 1, range.end);
    parts.push(
      startRangePart({
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
        start,
        end,
        url: () => url,
        connect,
        retryBeforeFirstByte: start !== range.start,
        retryUrl,
        signal: download.signal,
        onAnswered,
        onReceived,
        eager,
      }),
    );
    next = end + 1;
    return true;
  };
  /**
   * Keeps `ramp.wanted` ranges reading and, once the newest has its first bytes, one more asked
   * ahead and held (as one connection read one range after another before: the next request's
   * round trip overlaps the current transfer), never more than `parallel.ranges` not yet taken.
   */
  const fill = () => {
    while (parts.length < maxRanges || parts.some((p) => p.held())) {
      const reading = parts.filter((p) => p.receiving()).length;
      const held = parts.find((p) => p.held());
      if (reading < ramp.wanted && held !== undefined) {
        held.read();
        continue;
      }
      if (next > range.end || parts.length >= maxRanges) return;
      if (reading < ramp.wanted) {
        if (!open(true)) return;
        continue;
      }
      const newest = parts.at(-1);
      if (held !== undefined || newest === undefined || !newest.started() || !open(false)) return;
    }
  };
  /** Bytes arrived: a range asked ahead may be started now that the newest one has begun. */
  function onReceived() {
    fill();
  }

  /** The next bytes of the range in order, or undefined once all of it has been delivered. */
  const nextBytes = async (): Promise<Uint8Array | undefined> => {
    for (;;) {
      const head = parts[0];
      if (head === undefined) return undefined;
      const waitedFrom = head.ready() ? undefined : now();
      const bytes = await head.take();
      if (bytes === undefined) {
        parts.shift();
        fill();
        continue;
      }
      if (waitedFrom !== undefined) ramp.waited(now() - waitedFrom);
      ramp.delivered(bytes.byteLength);
      fill();
      return bytes;
    }
  };

  let first: Uint8Array | undefined;
  try {
    fill();
    first = await nextBytes();
  } catch (error) {
    fail(error);
    if (error instanceof DowntubeError || options.signal.aborted) throw error;
    throw new UpstreamError("the origin's media connection failed before the first byte", { cause: error });
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const bytes = first ?? (await nextBytes());
          first = undefined;
          if (bytes !== undefined) return controller.enqueue(bytes);
          finish();
          controller.close();
        } catch (error) {
          fail(error);
          controller.error(error);
        }
      },
      cancel(reason) {
        fail(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
