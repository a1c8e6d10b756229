import { describe, expect, test } from "bun:test";
import { TokenUsedError } from "../../src/core/errors.ts";
import type { Store } from "../../src/core/ports.ts";
import { createMemoryStore } from "../../src/stores/memory-store.ts";
import { createTokenUseCounter, USE_COUNT_GRACE_MS } from "../../src/streaming/token-uses.ts";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

/** The embedded store, with every increment recorded so the TTL it was given can be checked. */
function recordingStore(clock: () => number) {
  const store = createMemoryStore({ maxEntries: 100, clock });
  const increments: { key: string; ttlMs: number }[] = [];
  const recording: Store = {
    ...store,
    increment(key, ttlMs) {
      increments.push({ key, ttlMs });
      return store.increment(key, ttlMs);
    },
  };
  return { store: recording, increments };
}

function setup() {
  let now = T0;
  const clock = () => now;
  const { store, increments } = recordingStore(clock);
  return {
    counter: createTokenUseCounter(store, clock),
    increments,
    setNow(ms: number) {
      now = ms;
    },
  };
}

const expiresAt = new Date(T0 + 600_000);

describe("token use counter", () => {
  test("check refuses a used-up token without counting a use itself", async () => {
    const { counter, increments } = setup();
    const claims = { jti: "c", maxUses: 1, expiresAt };
    await counter.check(claims);
    await counter.check(claims);
    expect(increments).toHaveLength(0);
    await counter.consume(claims);
    await expect(counter.check(claims)).rejects.toBeInstanceOf(TokenUsedError);
  });

  test("allows exactly maxUses redemptions and refuses the next", async () => {
    const { counter } = setup();
    const claims = { jti: "a", maxUses: 2, expiresAt };
    await counter.consume(claims);
    await counter.consume(claims);
    await expect(counter.consume(claims)).rejects.toBeInstanceOf(TokenUsedError);
    await expect(counter.consume(claims)).rejects.toBeInstanceOf(TokenUsedError);
  });

  test("counts each token separately", async () => {
    const { counter } = setup();
    await counter.consume({ jti: "a", maxUses: 1, expiresAt });
    await counter.consume({ jti: "b", maxUses: 1, expiresAt });
    await expect(counter.consume({ jti: "a", maxUses: 1, expiresAt })).rejects.toBeInstanceOf(TokenUsedError);
  });

  test("never counts tokens without maxUses", async () => {
    const { counter, increments } = setup();
    for (let i = 0; i < 5; i++) await counter.consume({ jti: "a", expiresAt });
    expect(increments).toEqual([]);
  });

  test("keeps the count until the token expires plus a grace period", async () => {
    const { counter, increments, setNow } = setup();
    setNow(T0 + 100_000);
    await counter.consume({ jti: "a", maxUses: 1, expiresAt });
    expect(increments).toEqual([{ key: "token-uses:a", ttlMs: 500_000 + USE_COUNT_GRACE_MS }]);
    setNow(expiresAt.getTime() + USE_COUNT_GRACE_MS - 1);
    await expect(counter.consume({ jti: "a", maxUses: 1, expiresAt })).rejects.toBeInstanceOf(TokenUsedError);
  });

  test("still counts with a positive TTL when the token expired a moment ago", async () => {
    const { counter, increments, setNow } = setup();
    setNow(expiresAt.getTime() + 5_000);
    await counter.consume({ jti: "late", maxUses: 1, expiresAt });
    expect(increments).toEqual([{ key: "token-uses:late", ttlMs: USE_COUNT_GRACE_MS }]);
  });
});
