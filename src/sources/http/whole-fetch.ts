import { DowntubeError, UpstreamError, UpstreamTimeoutError } from "../../core/errors.ts";
import { type OriginFetch, readWithin } from "../origin-request.ts";

export interface WholeFetchOptions {
  readonly fetch: OriginFetch;
  readonly url: string;
  /** The file's size from its metadata: the origin must send exactly this many bytes. */
  readonly size: number;
  /** Budget for the answer, then for each silence mid-body, in milliseconds. */
  readonly timeoutMs: number;
  /** Aborted when the client goes away: cancels the origin request at once. */
  readonly signal: AbortSignal;
}

/**
 * Streams a whole file from an origin that does not serve ranges: one plain `GET`, answered 200
 * with the known size. Resolves once the origin has answered (a failure before that is a typed
 * error); bytes then flow with backpressure. More or fewer bytes than `size`, or a silence of
 * `timeoutMs`, errors the stream, so the client sees the truncation against its Content-Length.
 */
export async function openWhole(options: WholeFetchOptions): Promise<ReadableStream<Uint8Array>> {
  const upstream = new AbortController();
  const onClientGone = () => upstream.abort(options.signal.reason);
  options.signal.addEventListener("abort", onClientGone, { once: true });
  const finish = () => options.signal.removeEventListener("abort", onClientGone);

  const timer = setTimeout(
    () => upstream.abort(new UpstreamTimeoutError("the media origin did not answer in time")),
    options.timeoutMs,
  );
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    const response = await options.fetch(options.url, { signal: upstream.signal });
    if (response.status !== 200 || response.body === null) {
      await response.body?.cancel();
      throw new UpstreamError(`the media origin answered HTTP ${response.status} for the whole file`);
    }
    const declared = response.headers.get("content-length");
    if (declared !== null && Number(declared) !== options.size) {
      await response.body.cancel();
      throw new UpstreamError("the media file changed size since it was described");
    }
    reader = response.body.getReader();
  } catch (error) {
    finish();
    upstream.abort(error);
    if (options.signal.aborted) throw options.signal.reason;
    if (upstream.signal.reason instanceof UpstreamTimeoutError) throw upstream.signal.reason;
    if (error instanceof DowntubeError) throw error;
    throw new UpstreamError("could not reach the media origin", { cause: error });
  } finally {
    clearTimeout(timer);
  }

  let left = options.size;
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown) => {
    finish();
    upstream.abort(error);
    controller.error(error);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const read = await readWithin(reader, options.timeoutMs, upstream);
          if (read.done) {
            if (left !== 0)
              return fail(controller, new UpstreamError("the media origin closed the file early"));
            finish();
            return controller.close();
          }
          left -= read.value.byteLength;
          if (left < 0)
            return fail(controller, new UpstreamError("the media origin sent more bytes than the file has"));
          controller.enqueue(read.value);
        } catch (error) {
          fail(controller, error);
        }
      },
      async cancel(reason) {
        finish();
        upstream.abort(reason);
        await reader.cancel(reason).catch(() => undefined); // already aborted: nothing to add
      },
    },
    { highWaterMark: 0 },
  );
}
