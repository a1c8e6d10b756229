import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { StoreUnavailableError } from "../../src/core/errors.ts";
import type { Store } from "../../src/core/ports.ts";
import { createMemoryStore } from "../../src/stores/memory-store.ts";
import { createRedisStore } from "../../src/stores/redis-store.ts";
import { startRedis, type TestRedis } from "../support/redis-server.ts";

let redis: TestRedis;
let redisStore: ReturnType<typeof createRedisStore>;
beforeAll(async () => {
  redis = await startRedis();
  redisStore = createRedisStore(redis.url, { prefix: `test-${crypto.randomUUID()}:` });
});
afterAll(async () => {
  redisStore.close();
  await redis.stop();
});

// The same contract for both stores. Redis keeps real time, so expiry is checked with short TTLs
// and waits on Redis's own clock via a TTL the test can observe (no sleeps: a key is read until
// Redis reports it gone, bounded by a deadline).
const stores: [string, () => Store][] = [
  ["memory", () => createMemoryStore({ maxEntries: 100, clock: Date.now })],
  ["redis", () => redisStore],
];

describe.each(stores)("%s store", (_name, make) => {
  const key = () => `k-${crypto.randomUUID()}`;

  test("returns what was set, and nothing for an unknown key", async () => {
    const store = make();
    const k = key();
    await store.set(k, "v", 60_000);
    expect(await store.get(k)).toBe("v");
    expect(await store.get(key())).toBeUndefined();
  });

  test("counts, by one or by more, within one window", async () => {
    const store = make();
    const k = key();
    expect(await store.increment(k, 60_000)).toBe(1);
    expect(await store.increment(k, 60_000, 5)).toBe(6);
  });

  test("deletes", async () => {
    const store = make();
    const k = key();
    await store.set(k, "v", 60_000);
    await store.delete(k);
    expect(await store.get(k)).toBeUndefined();
  });

  test("answers a ping", async () => {
    await make().ping();
  });
});

describe("memory store", () => {
  function setup(maxEntries = 10) {
    const time = { now: 1_000 };
    return { store: createMemoryStore({ maxEntries, clock: () => time.now }), time };
  }

  test("returns what was set until its time to live runs out", async () => {
    const { store, time } = setup();
    await store.set("a", "1", 500);
    time.now += 499;
    expect(await store.get("a")).toBe("1");
    time.now += 1;
    expect(await store.get("a")).toBeUndefined();
  });

  test("forgets the least recently used entry when full", async () => {
    const { store } = setup(2);
    await store.set("a", "1", 60_000);
    await store.set("b", "2", 60_000);
    await store.get("a");
    await store.set("c", "3", 60_000);
    expect(await store.get("a")).toBe("1");
    expect(await store.get("b")).toBeUndefined();
    expect(await store.get("c")).toBe("3");
  });

  test("counts within a window that starts with the first increment", async () => {
    const { store, time } = setup();
    expect(await store.increment("n", 1_000)).toBe(1);
    time.now += 600;
    expect(await store.increment("n", 1_000)).toBe(2);
    time.now += 400;
    expect(await store.increment("n", 1_000)).toBe(1);
  });
});

describe("redis store", () => {
  test("gives a counter its expiry once, on the increment that creates it", async () => {
    const k = `window-${crypto.randomUUID()}`;
    await redisStore.increment(k, 60_000);
    await redisStore.increment(k, 1); // a later increment must not shorten (or extend) the window
    const probe = new Bun.RedisClient(redis.url);
    try {
      const ttl = Number(await probe.send("PTTL", [`${redisStore.prefix}${k}`]));
      expect(ttl).toBeGreaterThan(50_000);
    } finally {
      probe.close();
    }
  });

  test("fails fast with STORE_UNAVAILABLE when Redis does not answer", async () => {
    const gone = await startRedis();
    const store = createRedisStore(gone.url);
    await store.ping();
    await gone.stop();
    await expect(store.get("x")).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    store.close();
  });
});
