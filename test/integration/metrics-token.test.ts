/**
 * `/metrics` behind `DOWNTUBE_METRICS_TOKEN`: only the bearer of the token reads it, everyone else
 * gets a 401 JSON error with a code, and the token is never logged. Unset, it stays open (the
 * other observability tests read it without a header).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Stack, startStack } from "../support/stack.ts";

const TOKEN = "metrics-reader-0123456789abcdef";
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ DOWNTUBE_METRICS_TOKEN: TOKEN });
});

afterAll(async () => {
  await stack?.stop();
});

const metricsUrl = () => new URL("/metrics", stack.gateway.url);

test("the bearer of the token reads the Prometheus text", async () => {
  const answer = await fetch(metricsUrl(), { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toContain("text/plain");
  expect(await answer.text()).toContain("downtube_http_requests_total");
});

test.each([
  ["no Authorization header", undefined],
  ["a wrong token", "Bearer metrics-reader-0123456789abcdeX"],
  ["the token without the Bearer scheme", TOKEN],
  ["a prefix of the token", `Bearer ${TOKEN.slice(0, -1)}`],
])("%s answers 401 UNAUTHENTICATED as JSON", async (_what, authorization) => {
  const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
  const answer = await fetch(metricsUrl(), { headers });
  expect(answer.status).toBe(401);
  expect(answer.headers.get("www-authenticate")).toStartWith("Bearer");
  const body = (await answer.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("UNAUTHENTICATED");
  expect(body.error.message).toContain("DOWNTUBE_METRICS_TOKEN");
});

test("the token appears in no log line", () => {
  expect(stack.logs.length).toBeGreaterThan(0);
  expect(stack.logs.filter((line) => line.includes(TOKEN))).toEqual([]);
});
