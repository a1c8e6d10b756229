import { UpstreamError } from "../core/errors.ts";

/**
 * A response body read whole as UTF-8 text, refused (and the rest cancelled) once it passes
 * `maxBytes`: an origin cannot make the gateway hold more. Throws `UpstreamError` naming `what`
 * when the body is larger; rejects with the read's error when the request is aborted.
 */
export async function readCappedText(response: Response, maxBytes: number, what: string): Promise<string> {
  if (response.body === null) return "";
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body.cancel();
    throw new UpstreamError(`${what} is larger than ${maxBytes} bytes`);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new UpstreamError(`${what} is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}
