import { afterAll, beforeAll, expect, test } from "bun:test";
import { auditServer } from "graphql-http";
import { type Stack, startStack } from "../support/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

test("passes every MUST and SHOULD audit of the GraphQL-over-HTTP spec", async () => {
  const results = await auditServer({ url: stack.graphqlUrl });
  const failed = results
    .filter((r) => r.status !== "ok" && (r.name.startsWith("MUST") || r.name.startsWith("SHOULD")))
    .map((r) => `${r.name}: ${"reason" in r ? r.reason : ""}`);
  expect(failed).toEqual([]);
  expect(results.filter((r) => r.name.startsWith("MUST")).length).toBeGreaterThan(10);
});
