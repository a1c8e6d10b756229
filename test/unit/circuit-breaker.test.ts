import { describe, expect, test } from "bun:test";
import { StoreUnavailableError } from "../../src/core/errors.ts";
import { createCircuitBreaker } from "../../src/stores/circuit-breaker.ts";

/** A breaker whose probe answers as `probe.ok` says; records opens and changes. */
function setup(timeoutMs = 50) {
  const probe = { ok: false, calls: 0 };
  const up = Promise.withResolvers<void>();
  const events: string[] = [];
  const breaker = createCircuitBreaker({
    timeoutMs,
    probeIntervalMs: 5,
    probe: async () => {
      probe.calls += 1;
      if (!probe.ok) throw new Error("still down");
    },
    onOpen: () => events.push("open"),
    onChange: (isUp) => {
      events.push(isUp ? "up" : "down");
      if (isUp) up.resolve();
    },
  });
  return { breaker, probe, events, up: up.promise };
}

const never = () => new Promise<never>(() => {});

describe("circuit breaker", () => {
  test("passes results through while closed", async () => {
    const { breaker } = setup();
    expect(await breaker.run(async () => 42)).toBe(42);
    expect(breaker.up()).toBe(true);
    breaker.close();
  });

  test("a call that hangs fails after the timeout and opens the circuit", async () => {
    const { breaker, events } = setup();
    await expect(breaker.run(never)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(breaker.up()).toBe(false);
    expect(events).toEqual(["open", "down"]);
    breaker.close();
  });

  test("while open, calls fail at once without running", async () => {
    const { breaker } = setup();
    await expect(breaker.run(() => Promise.reject(new Error("refused")))).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    let ran = false;
    await expect(
      breaker.run(async () => {
        ran = true;
      }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(ran).toBe(false);
    breaker.close();
  });

  test("the probe closes the circuit once the dependency answers again", async () => {
    const { breaker, probe, events, up } = setup();
    await expect(breaker.run(never)).rejects.toBeInstanceOf(StoreUnavailableError);
    probe.ok = true;
    await up;
    expect(breaker.up()).toBe(true);
    expect(await breaker.run(async () => "again")).toBe("again");
    expect(events.at(-1)).toBe("up");
    breaker.close();
  });

  test("once closed (shutdown), refuses every call", async () => {
    const { breaker } = setup();
    breaker.close();
    expect(breaker.up()).toBe(false);
    await expect(breaker.run(async () => 1)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
