import { DowntubeError } from "../core/errors.ts";

/** A request body over the configured size. */
export class PayloadTooLargeError extends DowntubeError {
  readonly code = "BAD_USER_INPUT";
  readonly status = 413;
}

/**
 * The request with its body read into memory, refusing more than `maxBytes`: by its declared
 * Content-Length at once, and while reading when it has none (chunked), so an oversized body
 * is never buffered whole. Bodyless requests pass as they are.
 */
export async function withBodyLimit(request: Request, maxBytes: number): Promise<Request> {
  if (request.body === null) return request;
  const tooLarge = () => new PayloadTooLargeError(`request bodies are limited to ${maxBytes} bytes`);
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge();
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(read.value);
  }
  return new Request(request, { body: new Blob(parts as BlobPart[]) });
}
