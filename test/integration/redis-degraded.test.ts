import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { prepareDownload } from "../support/downloads.ts";
import { startRedis, startSilentListener, type TestRedis } from "../support/redis-server.ts";
import { type Stack, startStack } from "../support/stack.ts";

// Redis down is a degraded mode: what needs no shared state goes on, `maxUses` fails closed.
const SECRET = "degraded-store-secret-of-at-least-32-chars";

/** A busy test machine must not make a healthy Redis look down: only a killed or frozen one is. */
const PATIENT = { DOWNTUBE_REDIS_TIMEOUT_MS: "2000" };
/** Time allowed to tests that start gateways and wait for Redis to be probed (busy machines). */
const SLOW_MS = 30_000;

const readyz = async (stack: Stack) => {
  const response = await fetch(new URL("/readyz", stack.gateway.url));
  return { status: response.status, body: (await response.json()) as Record<string, string> };
};

const storeUp = async (stack: Stack) => {
  const text = await (await fetch(new URL("/metrics", stack.gateway.url))).text();
  return /^downtube_store_up (\d)$/m.exec(text)?.[1];
};

/** Asks `/readyz` until Redis is reported `want`, within 10 s (the probe runs every 100 ms). */
async function untilRedis(stack: Stack, want: "up" | "down"): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await readyz(stack)).body.redis !== want) {
    if (Date.now() > deadline) throw new Error(`Redis never reported ${want}`);
    await Bun.sleep(50);
  }
}

const title = async (stack: Stack, id: string) => {
  const response = await fetch(stack.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ video(url: "${id}") { id title } }` }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data?: { video: { title: string } | null }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data?.video?.title;
};

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe("two gateways, Redis killed and restarted", () => {
  let redis: TestRedis;
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    const env = {
      REDIS_URL: redis.url,
      DOWNTUBE_TOKEN_SECRETS: SECRET,
      DOWNTUBE_REDIS_PROBE_MS: "100",
      ...PATIENT,
    };
    [a, b] = await Promise.all([startStack(env), startStack(env)]);
  }, SLOW_MS);
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await redis.stop();
  });

  test(
    "while it is down everything but maxUses works, and all is shared again once it is back",
    async () => {
      const plain = await prepareDownload(a, { url: VIDEO_IDS.plain });
      const counted = await prepareDownload(a, { url: VIDEO_IDS.plain, maxUses: 1 });
      expect(await readyz(a)).toMatchObject({ status: 200, body: { status: "ready", redis: "up" } });
      expect(await storeUp(a)).toBe("1");

      await redis.stop();
      for (const stack of [a, b]) {
        expect(await readyz(stack)).toMatchObject({
          status: 200,
          body: { status: "degraded", redis: "down" },
        });
        expect(await storeUp(stack)).toBe("0");
        // A token minted before the outage downloads, on either instance.
        const whole = await fetch(new URL(`/download/${plain.token}`, stack.gateway.url));
        expect(whole.status).toBe(200);
        expect((await whole.arrayBuffer()).byteLength).toBe(plain.contentLength ?? -1);
        // Metadata answers, and new tokens are minted.
        expect(await title(stack, VIDEO_IDS.cipher)).toBeString();
        expect((await prepareDownload(stack, { url: VIDEO_IDS.plain })).token).toBeString();
        // A counted token cannot be counted: refused, with a time to come back.
        const refused = await fetch(new URL(`/download/${counted.token}`, stack.gateway.url));
        expect(refused.status).toBe(503);
        expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(await errorOf(refused)).toBe("STORE_UNAVAILABLE");
      }

      redis = await startRedis({ port: redis.port });
      await Promise.all([untilRedis(a, "up"), untilRedis(b, "up")]);
      expect(await readyz(b)).toMatchObject({ status: 200, body: { status: "ready", redis: "up" } });
      expect(await storeUp(b)).toBe("1");
      const served = await fetch(new URL(`/download/${counted.token}`, b.gateway.url));
      expect(served.status).toBe(200);
      await served.arrayBuffer();
      const again = await fetch(new URL(`/download/${counted.token}`, a.gateway.url));
      expect(again.status).toBe(410);
      expect(await errorOf(again)).toBe("TOKEN_USED");
    },
    SLOW_MS,
  );
});

test(
  "a Redis that accepts connections but never answers is asked no more once it is known down",
  async () => {
    const silent = await startSilentListener();
    const stack = await startStack({
      REDIS_URL: silent.url,
      DOWNTUBE_REDIS_TIMEOUT_MS: "200",
      // No probe during the test: every connection the listener sees comes from a request.
      DOWNTUBE_REDIS_PROBE_MS: "600000",
    });
    try {
      expect(await title(stack, VIDEO_IDS.plain)).toBeString();
      expect(await readyz(stack)).toMatchObject({ status: 200, body: { status: "degraded", redis: "down" } });
      const ticket = await prepareDownload(stack, { url: VIDEO_IDS.plain });
      const counted = await prepareDownload(stack, { url: VIDEO_IDS.plain, maxUses: 1 });
      const seen = silent.connections();
      for (let i = 0; i < 5; i++) {
        expect(await title(stack, VIDEO_IDS.cipher)).toBeString();
        const download = await fetch(ticket.url);
        expect(download.status).toBe(200);
        await download.arrayBuffer();
        const refused = await fetch(counted.url);
        expect(refused.status).toBe(503);
        expect(await errorOf(refused)).toBe("STORE_UNAVAILABLE");
      }
      expect(silent.connections()).toBe(seen);
    } finally {
      await stack.stop();
      await silent.stop();
    }
  },
  SLOW_MS,
);

test(
  "a frozen redis-server (SIGSTOP) degrades the gateway until it runs again",
  async () => {
    const redis = await startRedis();
    const stack = await startStack({ REDIS_URL: redis.url, DOWNTUBE_REDIS_PROBE_MS: "100", ...PATIENT });
    try {
      expect(await title(stack, VIDEO_IDS.plain)).toBeString();
      redis.pause();
      expect(await title(stack, VIDEO_IDS.cipher)).toBeString();
      expect(await readyz(stack)).toMatchObject({ status: 200, body: { status: "degraded", redis: "down" } });
      redis.resume();
      await untilRedis(stack, "up");
      stack.youtube.hits.reset();
      // Back to the shared cache: what was cached before the freeze needs no extraction.
      expect(await title(stack, VIDEO_IDS.plain)).toBeString();
      expect(stack.youtube.hits.extractions()).toBe(0);
    } finally {
      await stack.stop();
      await redis.stop();
    }
  },
  SLOW_MS,
);

test("the gateway closes its Redis connection when it stops", async () => {
  const redis = await startRedis();
  const stack = await startStack({ REDIS_URL: redis.url, ...PATIENT });
  const observer = new Bun.RedisClient(redis.url);
  const clients = async () => (String(await observer.send("CLIENT", ["LIST"])).match(/^id=/gm) ?? []).length;
  try {
    expect(await title(stack, VIDEO_IDS.plain)).toBeString();
    expect(await clients()).toBe(2);
    await stack.stop();
    const deadline = Date.now() + 5_000;
    while ((await clients()) !== 1 && Date.now() < deadline) await Bun.sleep(20);
    expect(await clients()).toBe(1);
  } finally {
    observer.close();
    await redis.stop();
  }
});

test(
  "rate limits count across instances on Redis, and per instance while it is down",
  async () => {
    const redis = await startRedis();
    const env = { REDIS_URL: redis.url, DOWNTUBE_RATE_LIMIT_METADATA: "1", ...PATIENT };
    const [a, b] = await Promise.all([startStack(env), startStack(env)]);
    const codes = async (stack: Stack) => {
      const response = await fetch(stack.graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `{ video(url: "${VIDEO_IDS.plain}") { id } }` }),
      });
      const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
      return (body.errors ?? []).map((error) => error.extensions.code);
    };
    try {
      expect(await codes(a)).toEqual([]);
      expect(await codes(b)).toEqual(["RATE_LIMITED"]); // one allowance for the whole fleet
      await redis.stop();
      // Each instance counts on its own now: one allowance each, still enforced.
      expect(await codes(a)).toEqual([]);
      expect(await codes(a)).toEqual(["RATE_LIMITED"]);
      expect(await codes(b)).toEqual([]);
      expect(await codes(b)).toEqual(["RATE_LIMITED"]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  },
  SLOW_MS,
);
