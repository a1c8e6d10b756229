import { afterAll, beforeAll, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { prepareDownload } from "../support/downloads.ts";
import { startRedis, type TestRedis } from "../support/redis-server.ts";
import { type Stack, startStack } from "../support/stack.ts";

// Two instances behind one Redis, as a deployment of several gateways runs.
const SECRET = "shared-store-secret-of-at-least-32-chars";

let redis: TestRedis;
let a: Stack;
let b: Stack;
beforeAll(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, DOWNTUBE_TOKEN_SECRETS: SECRET };
  [a, b] = await Promise.all([startStack(env), startStack(env)]);
});
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
  await redis.stop();
});

const query = (stack: Stack, id: string) =>
  fetch(stack.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ video(url: "${id}") { id title } }` }),
  }).then((r) => r.json() as Promise<{ data: { video: { id: string } | null } }>);

test("a video extracted by one instance is answered by the other from the shared cache", async () => {
  a.youtube.hits.reset();
  b.youtube.hits.reset();
  expect((await query(a, VIDEO_IDS.cipher)).data.video?.id).toBe(VIDEO_IDS.cipher);
  expect((await query(b, VIDEO_IDS.cipher)).data.video?.id).toBe(VIDEO_IDS.cipher);
  expect(a.youtube.hits.extractions(VIDEO_IDS.cipher)).toBe(1);
  expect(b.youtube.hits.extractions(VIDEO_IDS.cipher)).toBe(0);
});

test("a single-use token redeemed on one instance is used up on the other", async () => {
  const ticket = await prepareDownload(a, { url: VIDEO_IDS.plain, maxUses: 1 });
  const first = await fetch(ticket.url);
  expect(first.status).toBe(200);
  await first.arrayBuffer();
  const onB = await fetch(new URL(`/download/${ticket.token}`, b.gateway.url));
  expect(onB.status).toBe(410);
  expect(((await onB.json()) as { error: { code: string } }).error.code).toBe("TOKEN_USED");
});

test("/readyz answers 503 while Redis is unreachable, and a request needing it answers 503, not 500", async () => {
  const lonely = await startRedis();
  const stack = await startStack({ REDIS_URL: lonely.url });
  try {
    expect((await fetch(new URL("/readyz", stack.gateway.url))).status).toBe(200);
    await lonely.stop();
    const ready = await fetch(new URL("/readyz", stack.gateway.url));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "store unavailable" });
    const answer = await fetch(stack.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ video(url: "${VIDEO_IDS.plain}") { id } }` }),
    });
    const body = (await answer.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe("STORE_UNAVAILABLE");
    expect(answer.status).toBe(503);
  } finally {
    await stack.stop();
  }
});
