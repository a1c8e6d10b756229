import { DowntubeError, MediaUrlExpiredError, UpstreamError } from "../core/errors.ts";
import type { ReleaseConnection } from "./origin-connections.ts";
import { type OriginRequestOptions, readWithin, requestRange } from "./origin-request.ts";

/** What one part of a download needs to fetch its bytes. */
export interface RangePartOptions extends OriginRequestOptions {
  /** Inclusive byte offsets of this part. */
  readonly start: number;
  readonly end: number;
  /** Where to ask (read when each attempt starts: an earlier part may have learned a redirect). */
  readonly url: () => string;
  /** A connection slot (see `OriginConnections`), held until this part's body is read or abandoned. */
  readonly connect: () => Promise<ReleaseConnection>;
  /** Whether a failure before this part's first byte is retried (not for a download's first part:
   * its failure is still the route's to answer, and a 403 there is the planner's to refresh). */
  readonly retryBeforeFirstByte: boolean;
  /**
   * The URL to try again after a failure; for an expired media URL (403/410) a source may extract
   * a fresh one here.
   */
  readonly retryUrl: (failure: unknown, signal: AbortSignal) => Promise<string>;
  /** The whole download's abort: the client left or the download failed. */
  readonly signal: AbortSignal;
  /** Told where each answer came from, after any redirect. */
  readonly onAnswered: (finalUrl: string) => void;
  /** Told whenever a piece of body arrives. */
  readonly onReceived: () => void;
  /**
   * Whether to read the body as soon as it comes. A part asked ahead (`false`) sends its request
   * and waits for its answer, but leaves the body in the socket until {@link RangePart.read}:
   * its origin round trip overlaps the transfer before it, its bytes take no memory here.
   */
  readonly eager: boolean;
}

/** One range of a download, fetched into its own queue as fast as the origin sends it. */
export interface RangePart {
  readonly start: number;
  readonly end: number;
  /** Whether the next {@link take} can resolve without waiting on the origin. */
  ready(): boolean;
  /** Whether its body is being read (asked eagerly, or told to {@link read}) and not all here yet. */
  receiving(): boolean;
  /** Whether it was asked ahead and not yet told to {@link read}. */
  held(): boolean;
  /** Whether its first bytes have arrived. */
  started(): boolean;
  /** Starts reading a part asked ahead. */
  read(): void;
  /** The next bytes in order; undefined once all of the part has been taken. Throws its failure. */
  take(): Promise<Uint8Array | undefined>;
}

/**
 * Starts fetching `start`–`end` at once and keeps its bytes until taken: at most the part's size
 * is ever held. A request that fails, answers short or goes silent for `timeoutMs` is asked once
 * more for what is still missing (from the byte where it stopped); a second failure is the
 * part's failure. An abort of `signal` ends it at once, its request with it.
 */
export function startRangePart(options: RangePartOptions): RangePart {
  const size = options.end - options.start + 1;
  const queue: Uint8Array[] = [];
  let received = 0;
  let reading = options.eager;
  const readNow = Promise.withResolvers<void>();
  if (reading) readNow.resolve();
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };

  /** One request for what is missing; resolves once the part is complete. */
  const attempt = async (url: string) => {
    const request = new AbortController();
    const onAbort = () => request.abort(options.signal.reason);
    options.signal.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await requestRange(
        options,
        url,
        options.start + received,
        options.end,
        request.signal,
      );
      if (response.body === null) throw new UpstreamError("the origin sent no media body");
      options.onAnswered(response.redirected ? response.url : url);
      await readNow.promise;
      const reader = response.body.getReader();
      while (received < size) {
        const read = await readWithin(reader, options.timeoutMs, request);
        if (read.done) throw new UpstreamError("the origin closed the media connection early");
        received += read.value.byteLength;
        if (received > size) throw new UpstreamError("the origin sent more bytes than asked for");
        queue.push(read.value);
        options.onReceived();
        notify();
      }
      // Every byte is here: let go of the body now rather than wait for the origin's own end.
      void reader.cancel().catch(() => undefined); // nothing is left to read: a failed cancel changes nothing
    } catch (error) {
      request.abort(error); // a failed request leaves nothing open behind it
      throw error;
    } finally {
      options.signal.removeEventListener("abort", onAbort);
    }
  };

  const run = async () => {
    const release = await options.connect();
    try {
      let url = options.url();
      try {
        await attempt(url);
      } catch (error) {
        const retry = received > 0 || options.retryBeforeFirstByte;
        if (options.signal.aborted || !retry) throw error;
        url = await options.retryUrl(error, options.signal);
        await attempt(url);
      }
    } finally {
      release();
    }
  };

  run().then(
    () => {
      finished = true;
      notify();
    },
    (error: unknown) => {
      failure =
        error instanceof DowntubeError || options.signal.aborted
          ? error
          : new UpstreamError("the origin's media connection failed", { cause: error });
      notify();
    },
  );

  return {
    start: options.start,
    end: options.end,
    ready: () => queue.length > 0 || finished || failure !== undefined,
    receiving: () => reading && !finished && failure === undefined,
    held: () => !reading,
    started: () => received > 0,
    read() {
      reading = true;
      readNow.resolve();
    },
    async take() {
      for (;;) {
        const bytes = queue.shift();
        if (bytes !== undefined) return bytes;
        if (failure !== undefined) throw failure;
        if (finished) return undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

/** Whether a failure is the origin refusing the URL itself (asks for a fresh URL before a retry). */
export function isExpiredUrl(failure: unknown): boolean {
  return failure instanceof MediaUrlExpiredError;
}
