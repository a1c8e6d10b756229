/**
 * Hostile input, property-tested against one real stack (simulated YouTube + gateway on port 0):
 * random GraphQL arguments, tokens, Range headers, paths, methods and header sizes never produce
 * a 5xx, a crash or a hang, and input that cannot name a video never reaches the origin.
 *
 * Each property runs a bounded number of cases from a random seed; fast-check prints the seed
 * and the shrunk counterexample on failure. Replay one with `FC_SEED=<seed> bun test test/property`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { prepareDownload } from "../support/downloads.ts";
import { rawRequest } from "../support/raw-http.ts";
import { type Stack, startStack } from "../support/stack.ts";
import { anyJson, type Hostile, hostileFormat, hostileUrl } from "./support/arbitraries.ts";
import { expectedAnswer, hostileRange } from "./support/range-arbitraries.ts";
import { hostileToken, sameToken } from "./support/token-arbitraries.ts";

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const RUNS = 300;
const settings = { numRuns: RUNS, ...(seed === undefined ? {} : { seed }) };
/** Client-side bound of every request: a hang fails the case instead of stalling the run. */
const TIMEOUT_MS = 5000;

/** The README's codes, and those graphql-yoga and graphql-armor give requests they refuse. */
const GRAPHQL_CODES = new Set([
  "BAD_USER_INPUT",
  "UNSUPPORTED_URL",
  "VIDEO_NOT_FOUND",
  "VIDEO_PRIVATE",
  "AGE_RESTRICTED",
  "VIDEO_UNAVAILABLE",
  "LIVE_NOT_SUPPORTED",
  "FORMAT_NOT_FOUND",
  "RATE_LIMITED",
  "UPSTREAM_ERROR",
  "UPSTREAM_TIMEOUT",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
]);

let stack: Stack;
let port: number;
/** A genuine itag-18 download of the plain video, and the origin's bytes of that format. */
let genuine: { token: string; url: string; etag: string };
let file: Uint8Array;

beforeAll(async () => {
  stack = await startStack();
  port = Number(new URL(stack.gateway.url).port);
  const ticket = await prepareDownload(stack, { url: "Plain000001", format: { itag: 18 } });
  const media = stack.youtube.media.get(18);
  if (media === undefined) throw new Error("the simulated YouTube has no itag 18");
  file = new Uint8Array(await Bun.file(media.path).arrayBuffer());
  const head = await fetch(ticket.url, { method: "HEAD", signal: AbortSignal.timeout(TIMEOUT_MS) });
  genuine = { token: ticket.token, url: ticket.url, etag: head.headers.get("etag") ?? "" };
  expect(genuine.etag).not.toBe("");
});
afterAll(() => stack.stop());

const originHits = () => ({
  watch: stack.youtube.hits.count("watch"),
  media: stack.youtube.hits.count("media"),
});

interface GraphQLAnswer {
  errors?: { message: string; extensions?: { code?: unknown } }[];
  data?: unknown;
}

/**
 * POSTs a GraphQL request and checks what every answer must be: below 500, JSON, each error with
 * a documented code (a body over the limit is refused by the HTTP layer, with its JSON error).
 */
async function graphql(body: unknown, accept?: string): Promise<GraphQLAnswer> {
  const response = await fetch(stack.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...(accept === undefined ? {} : { accept }) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  const context = `${response.status} ${text.slice(0, 300)}`;
  expect(response.status, context).toBeLessThan(500);
  expect(response.headers.get("content-type") ?? "", context).toMatch(/json/);
  const parsed = JSON.parse(text) as GraphQLAnswer & { error?: { code?: unknown } };
  if (response.status === 413) {
    expect(parsed.error?.code, context).toBe("BAD_USER_INPUT");
    return {};
  }
  expect(parsed.errors !== undefined || parsed.data !== undefined, context).toBe(true);
  for (const error of parsed.errors ?? []) {
    expect(typeof error.message, context).toBe("string");
    expect(error.message, context).not.toBe("Unexpected error.");
    expect(GRAPHQL_CODES.has(String(error.extensions?.code)), `undocumented code: ${context}`).toBe(true);
  }
  return parsed;
}

const acceptHeader = fc.constantFrom(undefined, "application/json", "application/graphql-response+json");

/** Runs `request` and checks that it made no metadata request to the origin when `invalid`. */
async function withoutOriginWhen(invalid: boolean, request: () => Promise<unknown>): Promise<void> {
  const before = originHits().watch;
  await request();
  if (invalid) expect(originHits().watch, "an invalid URL reached the origin").toBe(before);
}

describe("GraphQL arguments", () => {
  test("any text as video(url:) is refused or answered, never a 5xx, never the origin when invalid", async () => {
    await fc.assert(
      fc.asyncProperty(hostileUrl, acceptHeader, async (url: Hostile, accept) => {
        await withoutOriginWhen(url.certainlyInvalid, () =>
          graphql(
            { query: "query($u: String!) { video(url: $u) { id title } }", variables: { u: url.value } },
            accept,
          ),
        );
      }),
      settings,
    );
  });

  test("any list as videos(urls:) is refused or answered per index, never the origin for invalid ones", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileUrl, { maxLength: 25 }), acceptHeader, async (urls, accept) => {
        await withoutOriginWhen(
          urls.every((u) => u.certainlyInvalid),
          () =>
            graphql(
              {
                query: "query($u: [String!]!) { videos(urls: $u) { id } }",
                variables: { u: urls.map((u) => u.value) },
              },
              accept,
            ),
        );
      }),
      settings,
    );
  });

  test("any prepareDownload input is refused or answered, never a 5xx, never the origin for an invalid url", async () => {
    const realUrl = fc.constantFrom(
      "Plain000001",
      "Cipher00001",
      "Private0001",
      "NotFound001",
      "LiveNow0001",
    );
    const input = fc.record(
      {
        url: fc.oneof(
          { weight: 3, arbitrary: hostileUrl },
          { weight: 2, arbitrary: realUrl.map((value) => ({ value, certainlyInvalid: false })) },
          { weight: 1, arbitrary: anyJson.map((value) => ({ value, certainlyInvalid: true })) },
        ),
        filename: fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: "binary", maxLength: 50 }),
          anyJson,
        ),
        expiresIn: anyJson,
        maxUses: anyJson,
        disposition: fc.oneof(fc.constantFrom("ATTACHMENT", "INLINE", "inline"), anyJson),
        format: hostileFormat,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(input, acceptHeader, async ({ url, ...rest }, accept) => {
        const variables = { input: { ...rest, ...(url === undefined ? {} : { url: url.value }) } };
        await withoutOriginWhen(url === undefined || url.certainlyInvalid, () =>
          graphql(
            {
              query:
                "mutation($input: PrepareDownloadInput!) { prepareDownload(input: $input) { url filename expiresAt } }",
              variables,
            },
            accept,
          ),
        );
      }),
      settings,
    );
  });

  test("any document, variables and operation name are refused or answered, never a 5xx", async () => {
    const query = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        "{ video(url: 1) { id } }",
        "{ video { id } }",
        "{ __typename }",
        "query { videos(urls: null) { id } }",
        `{ ${"a: __typename ".repeat(50)} }`,
        `{ video(url: "x") ${"{ formats ".repeat(20)}${"}".repeat(20)} }`,
        "mutation { prepareDownload(input: {}) { url } }",
        "subscription { x }",
      ),
      anyJson,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { query, variables: anyJson, operationName: anyJson, extensions: anyJson },
          { requiredKeys: [] },
        ),
        acceptHeader,
        async (body, accept) => {
          await withoutOriginWhen(true, () => graphql(body, accept));
        },
      ),
      settings,
    );
  });
});

describe("download tokens", () => {
  test("any token but the genuine one answers 401, 404 or 410 in JSON and never asks the origin for bytes", async () => {
    await fc.assert(
      fc.asyncProperty(hostileToken(genuine.token), fc.constantFrom("GET", "HEAD"), async (token, method) => {
        const isGenuine = sameToken(token, genuine.token);
        const before = originHits().media;
        const response = await fetch(new URL(`/download/${encodeURIComponent(token)}`, stack.gateway.url), {
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
        expect(originHits().media, `a forged token reached the origin: ${context}`).toBe(before);
      }),
      settings,
    );
  });
});

describe("Range headers on a genuine download", () => {
  test("any Range and If-Range answers 200, 206 or 416 with headers that match the bytes sent", async () => {
    const size = file.byteLength;
    await fc.assert(
      fc.asyncProperty(hostileRange(size), fc.constantFrom("GET", "HEAD"), async (c, method) => {
        const headers: Record<string, string> = {};
        if (c.range !== undefined) headers.range = c.range;
        if (c.ifRange.kind === "etag") headers["if-range"] = genuine.etag;
        if (c.ifRange.kind === "other") headers["if-range"] = c.ifRange.value;
        const response = await fetch(genuine.url, {
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
          expect(Buffer.from(body).equals(file.subarray(start, end + 1)), `bytes differ: ${context}`).toBe(
            true,
          );
        } else {
          expect(body.byteLength, context).toBe(0);
        }
      }),
      settings,
    );
  });
});

describe("paths, methods and header sizes", () => {
  const segment = fc.oneof(
    fc.webSegment(),
    fc.constantFrom("download", "graphql", "healthz", "readyz", "graphiql", "api", "downtube", "", ".", ".."),
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
    await fc.assert(
      fc.asyncProperty(method, target, fc.option(fc.string({ maxLength: 100 })), async (m, t, body) => {
        const bytes = body === null ? "" : Buffer.from(body).toString("latin1");
        const request =
          `${m} ${t.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
          `${body === null ? "" : `Content-Type: application/json\r\nContent-Length: ${bytes.length}\r\n`}\r\n${bytes}`;
        await withoutOriginWhen(t.invalidVideoUrl, async () => {
          const answer = await rawRequest(port, request, TIMEOUT_MS);
          const context = `${JSON.stringify(request.slice(0, 300))} → ${JSON.stringify(answer.head)}`;
          if (answer.status === null) expect(m, `closed without an answer: ${context}`).toBe("CONNECT");
          else expect(answer.status, context).toBeLessThan(500);
        });
      }),
      { ...settings, numRuns: 200 },
    );
    await expectHealthy();
  });

  test("headers of any size answer below 500 (431 past the limit) and the server keeps answering", async () => {
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
          const url = t === "genuine" ? genuine.url : new URL(t, stack.gateway.url);
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
      await expectHealthy();
    }
  });
});

async function expectHealthy(): Promise<void> {
  const response = await fetch(new URL("/healthz", stack.gateway.url), {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" });
}
