import { UpstreamError } from "../core/errors.ts";

/**
 * A response body read whole, refused (and the rest cancelled) once it passes `maxBytes`, by its
 * declared length or by what actually arrives: an origin cannot make the gateway hold more.
 * Throws `UpstreamError` naming `what` when the body is larger; rejects with the read's error
 * when the request is aborted.
 */
export async function readCappedBytes(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  if (response.body === null) return Buffer.alloc(0);
  const tooLarge = () => new UpstreamError(`${what} is larger than ${maxBytes} bytes`);
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body.cancel();
    throw tooLarge();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    total += read.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}

/** {@link readCappedBytes} decoded as UTF-8 text (malformed sequences replaced, never fatal). */
export async function readCappedText(response: Response, maxBytes: number, what: string): Promise<string> {
  return new TextDecoder("utf-8", { fatal: false }).decode(await readCappedBytes(response, maxBytes, what));
}
