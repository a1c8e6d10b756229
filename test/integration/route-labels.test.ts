import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Stack, startStack } from "../support/stack.ts";

// Route labels go into metrics and access logs: a bounded set, never a token or a client's path.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

let sent = 0;
/** The route label the gateway logged for one request to `path`. */
async function labelOf(path: string): Promise<unknown> {
  const requestId = `label-${++sent}`;
  const response = await fetch(new URL(path, stack.gateway.url), { headers: { "X-Request-Id": requestId } });
  await response.arrayBuffer();
  const line = stack.logs
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.message === "request" && l.requestId === requestId);
  return line?.route;
}

describe("route labels", () => {
  test("name a download by its pattern, whatever the token (an empty one is refused there)", async () => {
    for (const path of ["/download/", "/download/abc", "/download/eyJhbGciOi.x.y", "/download/%E2%80%AE"])
      expect(await labelOf(path)).toBe("/download/:token");
  });

  test("name the fixed routes by their path and GraphiQL's assets by their pattern", async () => {
    for (const path of ["/graphql", "/api/downtube", "/healthz", "/readyz", "/metrics"])
      expect(await labelOf(path)).toBe(path);
    expect(await labelOf("/graphiql/v1/graphiql.js")).toBe("/graphiql/:version/:name");
  });

  test("fold every other path into one label", async () => {
    for (const path of ["/nowhere", "/download", "/download/a/b", "/graphql/x", "/graphiql", "/a".repeat(50)])
      expect(await labelOf(path)).toBe("other");
  });
});
