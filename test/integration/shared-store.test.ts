import { afterAll, beforeAll, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { prepareDownload } from "../support/downloads.ts";
import { startRedis, type TestRedis } from "../support/redis-server.ts";
import { type Stack, startStack } from "../support/stack.ts";

// Two instances behind one Redis, as a deployment of several gateways runs.
const SECRET = "shared-store-secret-of-at-least-32-chars";

let redis: TestRedis;
// A busy test machine must not make a healthy Redis look down.
const sharedEnv = () => ({
  REDIS_URL: redis.url,
  DOWNTUBE_TOKEN_SECRETS: SECRET,
  DOWNTUBE_REDIS_TIMEOUT_MS: "2000",
});
let a: Stack;
let b: Stack;
beforeAll(async () => {
  redis = await startRedis();
  const env = sharedEnv();
  [a, b] = await Promise.all([startStack(env), startStack(env)]);
}, 20_000); // two stacks starting on a busy machine can take more than the default 5 s
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

/** Watch-page requests for `id` that reached YouTube from any of `stacks`. */
const extractions = (stacks: Stack[], id: string) =>
  stacks.reduce((sum, stack) => sum + stack.youtube.hits.extractions(id), 0);

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

test("a maxUses: 1 link fetched in four ranged segments across instances is then refused", async () => {
  const ticket = await prepareDownload(a, { url: VIDEO_IDS.plain, maxUses: 1 });
  const size = ticket.contentLength ?? 0;
  const quarter = Math.ceil(size / 4);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 4; i++) {
    const on = i % 2 === 0 ? a : b;
    const last = Math.min(size, (i + 1) * quarter) - 1;
    const part = await fetch(new URL(`/download/${ticket.token}`, on.gateway.url), {
      headers: { Range: `bytes=${i * quarter}-${last}` },
    });
    expect(part.status).toBe(206);
    parts.push(new Uint8Array(await part.arrayBuffer()));
  }
  expect(parts.reduce((sum, part) => sum + part.byteLength, 0)).toBe(size);
  for (const on of [a, b]) {
    const refused = await fetch(new URL(`/download/${ticket.token}`, on.gateway.url), {
      headers: { Range: "bytes=0-99" },
    });
    expect(refused.status).toBe(410);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("TOKEN_USED");
  }
});

test("instances with different egress ids share metadata but keep their own media URLs", async () => {
  const env = (id: string) => ({ ...sharedEnv(), DOWNTUBE_EGRESS_ID: id });
  const [c, d] = await Promise.all([startStack(env("egress-c")), startStack(env("egress-d"))]);
  const fetchWhole = async (on: Stack) => {
    const ticket = await prepareDownload(on, { url: VIDEO_IDS.large });
    const response = await fetch(ticket.url);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(ticket.contentLength ?? -1);
  };
  try {
    await fetchWhole(c);
    expect(extractions([c], VIDEO_IDS.large)).toBe(1);
    // Metadata extracted through c's address answers d's queries.
    expect((await query(d, VIDEO_IDS.large)).data.video?.id).toBe(VIDEO_IDS.large);
    expect(extractions([d], VIDEO_IDS.large)).toBe(0);
    // Bytes need URLs of d's own address: one extraction there, and neither undoes the other's.
    await fetchWhole(d);
    expect(extractions([d], VIDEO_IDS.large)).toBe(1);
    await fetchWhole(c);
    await fetchWhole(d);
    expect(extractions([c], VIDEO_IDS.large)).toBe(1);
    expect(extractions([d], VIDEO_IDS.large)).toBe(1);
  } finally {
    await Promise.all([c.stop(), d.stop()]);
  }
}, 20_000);
