import { DowntubeError, MediaUrlExpiredError, UpstreamError, UpstreamTimeoutError } from "../core/errors.ts";

/** How media requests reach the origin. */
export type OriginFetch = (url: string, init: RequestInit) => Promise<Response>;

/** What every media request to the origin needs. */
export interface OriginRequestOptions {
  readonly fetch: OriginFetch;
  /**
   * How long the origin may take to answer each request, and then stay silent mid-body while
   * the gateway waits on it, in milliseconds.
   */
  readonly timeoutMs: number;
}

function failureOf(status: number): Error {
  // 403 is how googlevideo says a URL expired (or belongs to another IP); 410 is plainly gone.
  if (status === 403 || status === 410)
    return new MediaUrlExpiredError(`the origin refused the media URL (${status})`);
  return new UpstreamError(`the origin answered HTTP ${status} for the media`);
}

/** Reads the total size out of `Content-Range: bytes a-b/total`. */
function totalOf(response: Response): number | undefined {
  const match = /\/(\d+)\s*$/.exec(response.headers.get("content-range") ?? "");
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * One ranged request (`start`–`end` inclusive), answered 206 within the timeout or failed with a
 * typed error. The timeout bounds the wait for the answer only: the body may then take as long
 * as the client takes to read it (a signal that fired later would cut a slow download mid-body);
 * its silences are bounded by {@link readWithin}.
 */
export async function requestRange(
  options: OriginRequestOptions,
  url: string,
  start: number,
  end: number,
  signal: AbortSignal,
): Promise<Response> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs);
  let response: Response;
  try {
    response = await options.fetch(url, {
      headers: { Range: `bytes=${start}-${end}` },
      signal: AbortSignal.any([signal, timeout.signal]),
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    // A refusal of the fetch's own policies (the direct-URL source's address checks) stays itself.
    if (error instanceof DowntubeError) throw error;
    if (timeout.signal.aborted)
      throw new UpstreamTimeoutError("the origin did not answer in time", { cause: error });
    throw new UpstreamError("could not reach the origin for the media", { cause: error });
  } finally {
    clearTimeout(timer);
  }
  if (response.status !== 206) {
    await response.body?.cancel();
    throw failureOf(response.status);
  }
  return response;
}

/**
 * The next read of an origin body, failed with `UpstreamTimeoutError` (and the origin request
 * aborted through `upstream`) when the origin sends nothing for `timeoutMs`. Only time spent
 * waiting on the origin counts: a client that reads slowly makes no read wait here.
 */
export async function readWithin<T>(
  reader: ReadableStreamDefaultReader<T>,
  timeoutMs: number,
  upstream: AbortController,
) {
  let silent: UpstreamTimeoutError | undefined;
  const timer = setTimeout(() => {
    silent = new UpstreamTimeoutError(`the origin sent no media bytes for ${timeoutMs} ms`);
    upstream.abort(silent);
  }, timeoutMs);
  try {
    return await reader.read();
  } catch (error) {
    throw silent ?? error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Asks the origin for a resource's size with a one-byte range request (for formats whose
 * metadata does not carry it).
 */
export async function fetchSize(
  options: OriginRequestOptions & { readonly url: string; readonly signal: AbortSignal },
): Promise<number> {
  const response = await requestRange(options, options.url, 0, 0, options.signal);
  await response.body?.cancel();
  const total = totalOf(response);
  if (total === undefined) throw new UpstreamError("the origin did not tell the media's size");
  return total;
}
