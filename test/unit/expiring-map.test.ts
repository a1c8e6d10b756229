import { expect, test } from "bun:test";
import { createExpiringMap } from "../../src/core/expiring-map.ts";

function mapAt(ttlMs: number, maxEntries: number) {
  let now = 1_000_000;
  const map = createExpiringMap<string>({ clock: () => now, ttlMs, maxEntries });
  return { map, advance: (ms: number) => (now += ms) };
}

test("an entry is answered until its TTL is over, and not from then on", () => {
  const { map, advance } = mapAt(1000, 10);
  map.set("a", "one");
  advance(999);
  expect(map.get("a")).toBe("one");
  advance(1);
  expect(map.get("a")).toBeUndefined();
});

test("setting a key again starts its TTL again", () => {
  const { map, advance } = mapAt(1000, 10);
  map.set("a", "one");
  advance(600);
  map.set("a", "two");
  advance(600);
  expect(map.get("a")).toBe("two");
});

test("beyond maxEntries the oldest set is forgotten first, and reading does not make a key newer", () => {
  const { map } = mapAt(1000, 2);
  map.set("a", "one");
  map.set("b", "two");
  expect(map.get("a")).toBe("one");
  map.set("c", "three");
  expect(map.get("a")).toBeUndefined();
  expect(map.get("b")).toBe("two");
  expect(map.get("c")).toBe("three");
});

test("delete forgets a key at once and leaves the others", () => {
  const { map } = mapAt(1000, 10);
  map.set("a", "one");
  map.set("b", "two");
  map.delete("a");
  expect(map.get("a")).toBeUndefined();
  expect(map.get("b")).toBe("two");
});
