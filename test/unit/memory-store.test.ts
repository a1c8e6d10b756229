import { describe, expect, test } from "bun:test";
import { createMemoryStore } from "../../src/stores/memory-store.ts";

function setup(maxEntries = 10) {
  const time = { now: 1_000 };
  const store = createMemoryStore({ maxEntries, clock: () => time.now });
  return { store, time };
}

describe("MemoryStore", () => {
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

  test("deletes", async () => {
    const { store } = setup();
    await store.set("a", "1", 1_000);
    await store.delete("a");
    expect(await store.get("a")).toBeUndefined();
  });
});
