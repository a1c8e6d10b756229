import { describe, expect, test } from "bun:test";
import { StoreUnavailableError, TokenUsedError } from "../../src/core/errors.ts";
import type { Store } from "../../src/core/ports.ts";
import { createMemoryStore } from "../../src/stores/memory-store.ts";
import {
  COUNT_STEP_BYTES,
  createByteAllowance,
  slackOf,
  USE_COUNT_GRACE_MS,
} from "../../src/tokens/byte-allowance.ts";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const expiresAt = new Date(T0 + 600_000);

/** The embedded store, with every increment recorded so the TTL it was given can be checked. */
function setup(options: { failIncrements?: boolean } = {}) {
  let now = T0;
  const clock = () => now;
  const store = createMemoryStore({ maxEntries: 100, clock });
  const increments: { key: string; ttlMs: number; by: number }[] = [];
  const recording: Store = {
    ...store,
    increment(key, ttlMs, by = 1) {
      if (options.failIncrements) return Promise.reject(new StoreUnavailableError("down"));
      increments.push({ key, ttlMs, by });
      return store.increment(key, ttlMs, by);
    },
  };
  return {
    counter: createByteAllowance(recording, clock),
    increments,
    setNow(ms: number) {
      now = ms;
    },
  };
}

/** A body of `bytes` bytes in chunks of `chunk` bytes. */
function body(bytes: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let left = bytes;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left === 0) return controller.close();
      const n = Math.min(chunk, left);
      left -= n;
      controller.enqueue(new Uint8Array(n));
    },
  });
}

/** Reads a stream to its end; the bytes read and the error it ended with, if any. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ bytes: number; error?: unknown }> {
  let bytes = 0;
  const reader = stream.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read())
      bytes += read.value.byteLength;
    return { bytes };
  } catch (error) {
    return { bytes, error };
  }
}

const SIZE = 1024 * 1024;

describe("token byte allowance", () => {
  test("a single-use token serves its file in four ranges, then is refused", async () => {
    const { counter } = setup();
    const claims = { jti: "a", maxUses: 1, expiresAt };
    for (let i = 0; i < 4; i++) {
      await counter.check(claims, SIZE);
      expect(await drain(counter.meter(claims, SIZE, body(SIZE / 4)))).toEqual({ bytes: SIZE / 4 });
    }
    await expect(counter.check(claims, SIZE)).rejects.toBeInstanceOf(TokenUsedError);
  });

  test("check counts nothing itself (HEAD)", async () => {
    const { counter, increments } = setup();
    const claims = { jti: "h", maxUses: 1, expiresAt };
    for (let i = 0; i < 3; i++) await counter.check(claims, SIZE);
    expect(increments).toEqual([]);
  });

  test("maxUses: 2 allows two whole copies", async () => {
    const { counter } = setup();
    const claims = { jti: "two", maxUses: 2, expiresAt };
    for (let i = 0; i < 2; i++) {
      await counter.check(claims, SIZE);
      expect((await drain(counter.meter(claims, SIZE, body(SIZE)))).error).toBeUndefined();
    }
    await expect(counter.check(claims, SIZE)).rejects.toBeInstanceOf(TokenUsedError);
  });

  test("cuts a response once the allowance and its slack are spent", async () => {
    const { counter } = setup();
    const claims = { jti: "greedy", maxUses: 1, expiresAt };
    // Two copies at once, both let in before either has counted a byte.
    const [first, second] = await Promise.all([
      drain(counter.meter(claims, SIZE, body(SIZE))),
      drain(counter.meter(claims, SIZE, body(SIZE))),
    ]);
    const cut = [first, second].filter((r) => r.error instanceof TokenUsedError);
    expect(cut.length).toBeGreaterThan(0);
    // Each response may hold one counting step not yet counted when the count passes the limit.
    expect(first.bytes + second.bytes).toBeLessThanOrEqual(SIZE + slackOf(SIZE) + 2 * COUNT_STEP_BYTES);
  });

  test("a client that goes away is charged only what it was sent", async () => {
    const { counter, increments } = setup();
    const claims = { jti: "quit", maxUses: 1, expiresAt };
    const reader = counter.meter(claims, SIZE, body(SIZE)).getReader();
    let read = 0;
    while (read < 100 * 1024) read += (await reader.read()).value?.byteLength ?? 0;
    await reader.cancel();
    const charged = increments.reduce((sum, i) => sum + i.by, 0);
    expect(charged).toBe(read);
    await counter.check(claims, SIZE);
  });

  test("a store that stops answering cuts the response (fails closed)", async () => {
    const { counter } = setup({ failIncrements: true });
    const result = await drain(counter.meter({ jti: "s", maxUses: 1, expiresAt }, SIZE, body(SIZE)));
    expect(result.error).toBeInstanceOf(StoreUnavailableError);
    expect(result.bytes).toBeLessThan(SIZE);
  });

  test("counts each token separately", async () => {
    const { counter } = setup();
    await drain(counter.meter({ jti: "x", maxUses: 1, expiresAt }, SIZE, body(SIZE)));
    await counter.check({ jti: "y", maxUses: 1, expiresAt }, SIZE);
    await expect(counter.check({ jti: "x", maxUses: 1, expiresAt }, SIZE)).rejects.toBeInstanceOf(
      TokenUsedError,
    );
  });

  test("never counts tokens without maxUses", async () => {
    const { counter, increments } = setup();
    const claims = { jti: "free", expiresAt };
    for (let i = 0; i < 3; i++) {
      await counter.check(claims, SIZE);
      await drain(counter.meter(claims, SIZE, body(SIZE)));
    }
    expect(increments).toEqual([]);
  });

  test("keeps the count until the token expires plus a grace period", async () => {
    const { counter, increments, setNow } = setup();
    setNow(T0 + 100_000);
    const claims = { jti: "ttl", maxUses: 1, expiresAt };
    await drain(counter.meter(claims, SIZE, body(SIZE)));
    expect(new Set(increments.map((i) => i.ttlMs))).toEqual(new Set([500_000 + USE_COUNT_GRACE_MS]));
    setNow(expiresAt.getTime() + USE_COUNT_GRACE_MS - 1);
    await expect(counter.check(claims, SIZE)).rejects.toBeInstanceOf(TokenUsedError);
  });

  test("still counts with a positive TTL when the token expired a moment ago", async () => {
    const { counter, increments, setNow } = setup();
    setNow(expiresAt.getTime() + 5_000);
    await drain(counter.meter({ jti: "late", maxUses: 1, expiresAt }, SIZE, body(1000)));
    expect(increments).toEqual([{ key: "token-bytes:late", ttlMs: USE_COUNT_GRACE_MS, by: 1000 }]);
  });
});
