import { describe, expect, test } from "bun:test";
import { UpstreamError, UpstreamTimeoutError } from "../../src/core/errors.ts";
import { fetchImage } from "../../src/sources/image-fetch.ts";

const answer = (body: BodyInit | null, init: ResponseInit) => async () => new Response(body, init);
const options = (fetch: (url: string, init: RequestInit) => Promise<Response>) => ({
  fetch,
  timeoutMs: 1000,
  maxBytes: 8,
});
const signal = new AbortController().signal;

describe("fetching a thumbnail", () => {
  test("gives its bytes and the image type they have, whatever type was declared", async () => {
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47);
    const fetch = answer(png, { headers: { "content-type": "image/jpeg; q=1" } });
    const image = await fetchImage(options(fetch), "https://i.ytimg.com/vi/x/hq.jpg", signal);
    expect([...image.bytes, image.contentType]).toEqual([...png, "image/png"]);
  });

  test("refuses bytes that are no image even when declared one", async () => {
    const fetch = answer("<svg>", { headers: { "content-type": "image/jpeg" } });
    expect(fetchImage(options(fetch), "https://i.ytimg.com/x.jpg", signal)).rejects.toBeInstanceOf(
      UpstreamError,
    );
  });

  test.each([
    ["a 404", answer("missing", { status: 404, headers: { "content-type": "image/jpeg" } })],
    ["a page that is no image", answer("<html>", { headers: { "content-type": "text/html" } })],
    ["an image over the size cap", answer(new Uint8Array(9), { headers: { "content-type": "image/png" } })],
  ])("refuses %s as an upstream error", async (_, fetch) => {
    expect(fetchImage(options(fetch), "https://i.ytimg.com/x.jpg", signal)).rejects.toBeInstanceOf(
      UpstreamError,
    );
  });

  test("gives up past its time budget", async () => {
    const silent = (_: string, init: RequestInit) =>
      new Promise<Response>((_, reject) =>
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      );
    const budget = { fetch: silent, timeoutMs: 20, maxBytes: 8 };
    expect(fetchImage(budget, "https://i.ytimg.com/x.jpg", signal)).rejects.toBeInstanceOf(
      UpstreamTimeoutError,
    );
  });
});
