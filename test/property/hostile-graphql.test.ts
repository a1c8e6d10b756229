/**
 * Hostile input, property-tested against one real stack (simulated YouTube + gateway on port 0):
 * random GraphQL documents, variables and arguments never produce a 5xx, a crash,
 * an undocumented error code or a hang, and a URL that cannot name a video never reaches the origin.
 *
 * Each property runs a bounded number of cases from a random seed; fast-check prints the seed
 * and the shrunk counterexample on failure. Replay one with `FC_SEED=<seed> bun test test/property`.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ERROR_CODES } from "../../src/core/errors.ts";
import { anyJson, type Hostile, hostileFormat, hostileUrl } from "./support/arbitraries.ts";
import { settings, TIMEOUT_MS, useHostileStack } from "./support/hostile-stack.ts";

const stackOf = useHostileStack();

/** Every code a client may get: the README documents each (test/unit/error-codes.test.ts). */
const GRAPHQL_CODES = new Set<string>(ERROR_CODES);

interface GraphQLAnswer {
  errors?: { message: string; extensions?: { code?: unknown } }[];
  data?: unknown;
}

/**
 * POSTs a GraphQL request and checks what every answer must be: below 500, JSON, each error with
 * a documented code (a body over the limit is refused before the operation is read).
 */
async function graphql(body: unknown, accept?: string): Promise<GraphQLAnswer> {
  const running = stackOf();
  const response = await fetch(running.stack.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...(accept === undefined ? {} : { accept }) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  const context = `${response.status} ${text.slice(0, 300)}`;
  expect(response.status, context).toBeLessThan(500);
  expect(response.headers.get("content-type") ?? "", context).toMatch(/json/);
  const parsed = JSON.parse(text) as GraphQLAnswer;
  if (response.status === 413) {
    expect(parsed.errors?.[0]?.extensions?.code, context).toBe("BAD_USER_INPUT");
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

describe("GraphQL arguments", () => {
  test("any text as video(url:) is refused or answered, never a 5xx, never the origin when invalid", async () => {
    const running = stackOf();
    await fc.assert(
      fc.asyncProperty(hostileUrl, acceptHeader, async (url: Hostile, accept) => {
        await running.withoutOriginWhen(url.certainlyInvalid, () =>
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
    const running = stackOf();
    await fc.assert(
      fc.asyncProperty(fc.array(hostileUrl, { maxLength: 25 }), acceptHeader, async (urls, accept) => {
        await running.withoutOriginWhen(
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
    const running = stackOf();
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
        await running.withoutOriginWhen(url === undefined || url.certainlyInvalid, () =>
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
    const running = stackOf();
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
          await running.withoutOriginWhen(true, () => graphql(body, accept));
        },
      ),
      settings,
    );
  });
});
