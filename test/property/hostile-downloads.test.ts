/**
 * Hostile input, property-tested against one real stack (simulated YouTube + gateway on port 0):
 * any token but a genuine one is refused in JSON without asking the origin for bytes, and
 * any Range and If-Range on a genuine download answers headers that match the bytes sent.
 *
 * Each property runs a bounded number of cases from a random seed; fast-check prints the seed
 * and the shrunk counterexample on failure. Replay one with `FC_SEED=<seed> bun test test/property`.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { settings, TIMEOUT_MS, useHostileStack } from "./support/hostile-stack.ts";
import { expectedAnswer, hostileRange } from "./support/range-arbitraries.ts";
import { hostileToken, sameToken } from "./support/token-arbitraries.ts";

const stackOf = useHostileStack();

describe("download tokens", () => {
  test("any token but the genuine one answers 401, 404 or 410 in JSON and never asks the origin for bytes", async () => {
    const running = stackOf();
    await fc.assert(
      fc.asyncProperty(
        hostileToken(running.genuine.token),
        fc.constantFrom("GET", "HEAD"),
        async (token, method) => {
          const isGenuine = sameToken(token, running.genuine.token);
          const before = running.originHits().media;
          const url = new URL(`/download/${encodeURIComponent(token)}`, running.stack.gateway.url);
          // "." and ".." are dot segments, which the URL parser resolves ("/download/.." is "/",
          // the page): no token is sent at all, so there is nothing to refuse.
          fc.pre(url.pathname.startsWith("/download/"));
          const response = await fetch(url, {
            method,
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
          const body = await response.arrayBuffer();
          const context = `${method} ${response.status} ${JSON.stringify(token.slice(0, 200))}`;
          if (isGenuine) {
            expect(response.status, context).toBe(200);
            return;
          }
          expect([401, 404, 410], context).toContain(response.status);
          expect(response.headers.get("content-type") ?? "", context).toContain("application/json");
          if (method === "GET") {
            const { error } = JSON.parse(new TextDecoder().decode(body)) as { error: { code: string } };
            expect(["TOKEN_INVALID", "TOKEN_EXPIRED", "TOKEN_USED", "NOT_FOUND"], context).toContain(
              error.code,
            );
          }
          expect(running.originHits().media, `a forged token reached the origin: ${context}`).toBe(before);
        },
      ),
      settings,
    );
  });
});

describe("Range headers on a genuine download", () => {
  test("any Range and If-Range answers 200, 206 or 416 with headers that match the bytes sent", async () => {
    const running = stackOf();
    const size = running.file.byteLength;
    await fc.assert(
      fc.asyncProperty(hostileRange(size), fc.constantFrom("GET", "HEAD"), async (c, method) => {
        const headers: Record<string, string> = {};
        if (c.range !== undefined) headers.range = c.range;
        if (c.ifRange.kind === "etag") headers["if-range"] = running.genuine.etag;
        if (c.ifRange.kind === "other") headers["if-range"] = c.ifRange.value;
        const response = await fetch(running.genuine.url, {
          method,
          headers,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const body = new Uint8Array(await response.arrayBuffer());
        const context = `${method} ${response.status} ${JSON.stringify(headers).slice(0, 300)}`;
        expect([200, 206, 416], context).toContain(response.status);

        const expected = expectedAnswer(c, size);
        if (expected !== undefined) expect(response.status, context).toBe(expected.status);
        if (response.status === 416) {
          expect(response.headers.get("content-range"), context).toBe(`bytes */${size}`);
          return;
        }
        let start = 0;
        let end = size - 1;
        if (response.status === 206) {
          const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
          expect(match, context).not.toBeNull();
          [start, end] = [Number(match?.[1]), Number(match?.[2])];
          expect(Number(match?.[3]), context).toBe(size);
          expect(start <= end && end < size, context).toBe(true);
          if (expected?.status === 206) expect([start, end], context).toEqual([expected.start, expected.end]);
        } else {
          expect(response.headers.get("content-range"), context).toBeNull();
        }
        expect(Number(response.headers.get("content-length")), context).toBe(end - start + 1);
        if (method === "GET") {
          expect(body.byteLength, context).toBe(end - start + 1);
          expect(
            Buffer.from(body).equals(running.file.subarray(start, end + 1)),
            `bytes differ: ${context}`,
          ).toBe(true);
        } else {
          expect(body.byteLength, context).toBe(0);
        }
      }),
      settings,
    );
  });
});
