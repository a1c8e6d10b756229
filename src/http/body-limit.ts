import { DowntubeError } from "../core/errors.ts";

/** A request body over the configured size. */
export class PayloadTooLargeError extends DowntubeError {
  readonly code = "BAD_USER_INPUT";
  readonly status = 413;
}

const DIGITS = /^\d+$/;

/**
 * The request with a body of at most `maxBytes`, refusing more: by its declared Content-Length
 * at once, and while reading when it has none (chunked), so an oversized body is never buffered
 * whole. A request whose Content-Length fits passes as it is, its body unread: HTTP's framing
 * ends a body at its declared length (the server's parser reads no further), so it cannot grow
 * past it, and whoever handles the request reads it once. Bodyless requests pass as they are.
 */
export async function withBodyLimit(request: Request, maxBytes: number): Promise<Request> {
  const tooLarge = () => new PayloadTooLargeError(`request bodies are limited to ${maxBytes} bytes`);
  const declared = request.headers.get("content-length");
  // With Transfer-Encoding as well the length is not what frames the body: read and count it.
  if (declared !== null && DIGITS.test(declared) && !request.headers.has("transfer-encoding")) {
    if (Number(declared) > maxBytes) throw tooLarge();
    return request;
  }
  if (request.body === null) return request;
  if (Number(declared ?? 0) > maxBytes) throw tooLarge();
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
