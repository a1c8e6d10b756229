import { closeSync } from "node:fs";
import { DowntubeError, UpstreamError } from "../core/errors.ts";

/** A failure to read the input is the origin's, whatever the error says. */
function originFailure(error: unknown): DowntubeError {
  if (error instanceof DowntubeError) return error;
  return new UpstreamError("the origin's media connection failed mid-transfer", { cause: error });
}

/**
 * Writes every chunk of `body` into the file descriptor `fd` (the parent's end of a socket pair
 * whose other end a child process reads), waiting for each chunk to be taken before reading the
 * next, so the child's pace reaches the origin reads. Resolves once all of `body` was written and
 * `fd` closed: the child then reads an end of file. Rejects with a `DowntubeError` when reading
 * the body fails (the origin's fault), or with the write's error when the child stopped reading;
 * either way `fd` is closed and the body
 * cancelled. Aborting `halt` ends the feed the same way, with the abort reason. The feed owns
 * `fd`: it is closed exactly once, whatever happens.
 */
export async function feedPipe(
  body: ReadableStream<Uint8Array>,
  fd: number,
  halt: AbortSignal,
): Promise<void> {
  // Bun's FileSink writes without blocking and queues what the socket does not take yet; its
  // `flush()` settles once the queue is written. (A `net.Socket` on this fd writes synchronously
  // in Bun and fails with EAGAIN as soon as the socket is full.)
  const sink = Bun.file(fd).writer();
  const reader = body.getReader();
  // The halt ends a pending read (cancelling the origin request) and a pending write alike; the
  // signal belongs to one merge, so its listener goes with it.
  const halted = new Promise<never>((_, reject) => {
    const onHalt = () => {
      reject(halt.reason);
      void reader.cancel(halt.reason).catch(() => undefined); // the reason is already known
    };
    if (halt.aborted) onHalt();
    else halt.addEventListener("abort", onHalt, { once: true });
  });
  halted.catch(() => undefined); // only ever raced: its rejection is the halt itself
  const next = () =>
    reader.read().catch((error: unknown) => {
      throw halt.aborted ? halt.reason : originFailure(error);
    });
  try {
    for (let read = await next(); !read.done; read = await next()) {
      if (halt.aborted) throw halt.reason;
      // `write` may hand back a promise that rejects (EPIPE once the child stopped reading): it
      // is awaited in the race, never left unhandled.
      const written = Promise.resolve(sink.write(read.value)).then(() => sink.flush());
      await Promise.race([written, halted]);
    }
    if (halt.aborted) throw halt.reason;
    await sink.end();
  } catch (error) {
    await reader.cancel(error).catch(() => undefined); // the origin request goes with it; its own error adds nothing
    throw error;
  } finally {
    closeSync(fd);
  }
}
