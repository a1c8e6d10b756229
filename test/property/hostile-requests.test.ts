/**
 * Hostile input, property-tested against one real stack (simulated YouTube + gateway on port 0):
 * random paths, methods, request lines and header sizes never produce a 5xx, a crash or a
 * hang, and the seed endpoint never asks the origin about a URL that cannot name a video.
 *
 * Each property runs a bounded number of cases from a random seed; fast-check prints the seed
 * and the shrunk counterexample on failure. Replay one with `FC_SEED=<seed> bun test test/property`.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { rawRequest } from "../support/raw-http.ts";
import { hostileUrl } from "./support/arbitraries.ts";
import { settings, TIMEOUT_MS, useHostileStack } from "./support/hostile-stack.ts";

const stackOf = useHostileStack();

describe("paths, methods and header sizes", () => {
  const segment = fc.oneof(
    fc.webSegment(),
    fc.constantFrom(
      "download",
      "graphql",
      "healthz",
      "readyz",
      "graphiql",
      "page",
      "api",
      "downtube",
      "",
      ".",
      "..",
    ),
    fc.constantFrom("%", "%z", "%zz", "%00", "%2F", "%2e%2e", "%ff", "%E0%A4%A", "%C0%AF", "%25", "%%"),
    fc.string({ unit: "binary-ascii", maxLength: 20 }),
    fc.string({ unit: "binary", maxLength: 10 }).map((s) => Buffer.from(s).toString("latin1")),
    fc.constantFrom(1000, 9000, 20_000, 70_000).map((n) => "a".repeat(n)),
  );
  /** A request target, and whether it is the seed endpoint with a URL that names no video. */
  const target: fc.Arbitrary<{ path: string; invalidVideoUrl: boolean }> = fc.oneof(
    fc
      .oneof(
        fc.array(segment, { maxLength: 6 }).map((segments) => `/${segments.join("/")}`),
        fc.webPath(),
        fc.constantFrom("*", "", "http://127.0.0.1/healthz", "healthz", "/download/%", "/download/a/b"),
        // Empty first segments: `//x` is a scheme-relative URL to a URL parser, not a path.
        fc.array(segment, { maxLength: 3 }).map((segments) => `//${segments.join("/")}`),
      )
      .map((path) => ({ path, invalidVideoUrl: true })),
    hostileUrl.map((url) => ({
      path: `/api/downtube?video_url=${encodeURIComponent(url.value.toWellFormed())}`,
      invalidVideoUrl: url.certainlyInvalid,
    })),
  );
  const method = fc.oneof(
    fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "QUERY"),
    fc.constantFrom("get", "CONNECT", "M-SEARCH", "PRI", "G ET", ""),
    fc.stringMatching(/^[A-Z]{1,12}$/),
    fc.string({ unit: "binary-ascii", maxLength: 8 }),
  );

  test("any request line answers below 500 (or is closed, for CONNECT) and never hangs", async () => {
    const running = stackOf();
    await fc.assert(
      fc.asyncProperty(method, target, fc.option(fc.string({ maxLength: 100 })), async (m, t, body) => {
        const bytes = body === null ? "" : Buffer.from(body).toString("latin1");
        const request =
          `${m} ${t.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
          `${body === null ? "" : `Content-Type: application/json\r\nContent-Length: ${bytes.length}\r\n`}\r\n${bytes}`;
        await running.withoutOriginWhen(t.invalidVideoUrl, async () => {
          const answer = await rawRequest(running.port, request, TIMEOUT_MS);
          const context = `${JSON.stringify(request.slice(0, 300))} → ${JSON.stringify(answer.head)}`;
          if (answer.status === null) expect(m, `closed without an answer: ${context}`).toBe("CONNECT");
          else expect(answer.status, context).toBeLessThan(500);
        });
      }),
      { ...settings, numRuns: 200 },
    );
    await running.expectHealthy();
  });

  test("headers of any size answer below 500 (431 past the limit) and the server keeps answering", async () => {
    const running = stackOf();
    const target = fc.constantFrom(
      "/healthz",
      "/graphql?query=%7B__typename%7D",
      "/download/abc",
      "/nope",
      "genuine",
    );
    const header = fc.record({
      name: fc.constantFrom(
        "x-big",
        "cookie",
        "user-agent",
        "range",
        "if-range",
        "authorization",
        "accept",
        "x-graphql-yoga-csrf",
      ),
      length: fc.oneof(fc.nat(65_536), fc.constantFrom(8191, 8192, 16_383, 16_384, 16_385, 65_536)),
      fill: fc
        .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 8 })
        .map((s) => s.replace(/[^\x21-\x7e]/g, "a") || "a"),
    });
    const many = fc.array(fc.tuple(fc.stringMatching(/^x-[a-z]{1,20}$/), fc.nat(200)), { maxLength: 300 });
    for (let batch = 0; batch < 3; batch++) {
      await fc.assert(
        fc.asyncProperty(target, header, many, async (t, h, extra) => {
          const headers = new Headers({ "x-graphql-yoga-csrf": "1" });
          for (const [name, length] of extra) headers.set(name, "v".repeat(length));
          headers.set(h.name, h.fill.repeat(Math.ceil(h.length / h.fill.length)).slice(0, h.length));
          const url = t === "genuine" ? running.genuine.url : new URL(t, running.stack.gateway.url);
          const response = await fetch(url, {
            method: "HEAD",
            headers,
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
          await response.arrayBuffer();
          expect(response.status, `${t} ${h.name}: ${h.length} bytes, ${extra.length} more`).toBeLessThan(
            500,
          );
        }),
        { ...settings, numRuns: 60 },
      );
      await running.expectHealthy();
    }
  });
});
