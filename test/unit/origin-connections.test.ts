import { describe, expect, test } from "bun:test";
import { UpstreamTimeoutError } from "../../src/core/errors.ts";
import { createOriginConnections } from "../../src/sources/origin-connections.ts";

const never = new AbortController().signal;

describe("origin connections", () => {
  test("count slots per egress, each egress with its own cap", async () => {
    const connections = createOriginConnections({ maxPerEgress: 1 });
    const a = await connections.acquire("a", never, 1000);
    expect(connections.tryAcquire("a")).toBeUndefined();
    const b = connections.tryAcquire("b");
    expect(b).toBeDefined();
    expect([connections.inUse("a"), connections.inUse("b")]).toEqual([1, 1]);
    a();
    a(); // twice is once
    b?.();
    expect([connections.inUse("a"), connections.inUse("b")]).toEqual([0, 0]);
  });

  test("hand a freed slot to the first waiter, and refuse extra reads while anyone waits", async () => {
    const connections = createOriginConnections({ maxPerEgress: 1 });
    const held = await connections.acquire("e", never, 1000);
    const order: string[] = [];
    const first = connections.acquire("e", never, 1000).then((release) => {
      order.push("first");
      return release;
    });
    const second = connections.acquire("e", never, 1000).then((release) => {
      order.push("second");
      return release;
    });
    held();
    expect(connections.tryAcquire("e")).toBeUndefined();
    (await first)();
    (await second)();
    expect(order).toEqual(["first", "second"]);
    expect(connections.inUse("e")).toBe(0);
  });

  test("give up waiting with a timeout error, or with the abort's reason", async () => {
    const connections = createOriginConnections({ maxPerEgress: 1 });
    const held = await connections.acquire("e", never, 1000);
    await expect(connections.acquire("e", never, 5)).rejects.toBeInstanceOf(UpstreamTimeoutError);
    const client = new AbortController();
    const waiting = connections.acquire("e", client.signal, 60_000);
    client.abort(new Error("client gone"));
    await expect(waiting).rejects.toThrow("client gone");
    held();
    expect(connections.inUse("e")).toBe(0);
    expect(connections.tryAcquire("e")).toBeDefined();
  });
});
