import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ERROR_CODES } from "../../src/core/errors.ts";
import { type Stack, startStack } from "../support/stack.ts";

// One error shape per surface: GraphQL's on /graphql, {"error":{"code","message"}} elsewhere.
const API_KEY = "error-shapes-api-key-0123";
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ DOWNTUBE_API_KEYS: API_KEY, DOWNTUBE_MAX_BODY_BYTES: "2048" });
});
afterAll(() => stack.stop());

/** A /graphql answer: its status, headers and GraphQL errors, after checking its shape. */
async function graphqlRefusal(init: RequestInit & { query?: string } = {}) {
  const url = new URL(stack.graphqlUrl);
  if (init.query !== undefined) url.searchParams.set("query", init.query);
  const response = await fetch(url, init);
  const body = (await response.json()) as { errors?: { message: string; extensions: { code: string } }[] };
  expect(Object.keys(body)).not.toContain("error");
  expect(body.errors?.length).toBeGreaterThan(0);
  for (const error of body.errors ?? []) expect(ERROR_CODES).toContain(error.extensions.code as never);
  return { status: response.status, headers: response.headers, errors: body.errors ?? [] };
}

const json = { "content-type": "application/json" };

describe("/graphql answers every refusal in GraphQL's shape", () => {
  test("a wrong API key: 401 UNAUTHENTICATED, as a missing one is", async () => {
    const refused = await graphqlRefusal({
      method: "POST",
      headers: { ...json, authorization: "Bearer not-a-configured-key" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("Bearer");
    expect(refused.errors[0]?.extensions.code).toBe("UNAUTHENTICATED");
  });

  test("a GET without the CSRF header: 403 naming the header to send", async () => {
    const refused = await graphqlRefusal({ query: "{ __typename }" });
    expect(refused.status).toBe(403);
    expect(refused.errors[0]?.extensions.code).toBe("CSRF_HEADER_REQUIRED");
    expect(refused.errors[0]?.message).toContain("x-graphql-yoga-csrf");
  });

  test("a batch: 400 BAD_REQUEST", async () => {
    const refused = await graphqlRefusal({
      method: "POST",
      headers: json,
      body: JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]),
    });
    expect(refused.status).toBe(400);
    expect(refused.errors[0]?.extensions.code).toBe("BAD_REQUEST");
  });

  test("a body over the limit: 413 BAD_USER_INPUT", async () => {
    const refused = await graphqlRefusal({
      method: "POST",
      headers: json,
      body: JSON.stringify({ query: `{ __typename }${" ".repeat(4096)}` }),
    });
    expect(refused.status).toBe(413);
    expect(refused.errors[0]?.extensions.code).toBe("BAD_USER_INPUT");
  });

  test("another method without a content type: 405 BAD_REQUEST, not a CSRF refusal", async () => {
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const refused = await graphqlRefusal({ method });
      expect({ method, status: refused.status }).toEqual({ method, status: 405 });
      expect(refused.errors[0]?.extensions.code).toBe("BAD_REQUEST");
    }
  });

  test("another method: 405 BAD_REQUEST", async () => {
    const refused = await graphqlRefusal({ method: "PUT", headers: json, body: "{}" });
    expect(refused.status).toBe(405);
    expect(refused.errors[0]?.extensions.code).toBe("BAD_REQUEST");
  });
});

describe("other routes answer {error: {code, message}}", () => {
  test.each([
    ["/nowhere", "GET", 404, "NOT_FOUND"],
    ["/healthz", "POST", 405, "METHOD_NOT_ALLOWED"],
    ["/graphiql/0/graphiql.js", "GET", 404, "NOT_FOUND"],
    ["/download/not-a-token", "GET", 401, "TOKEN_INVALID"],
    ["/api/downtube", "GET", 400, "BAD_USER_INPUT"],
  ] as const)("%s (%s): %d %s", async (path, method, status, code) => {
    const response = await fetch(new URL(path, stack.gateway.url), { method });
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe("string");
  });
});
