import { expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { createLifecycle, createStopSignals } from "../../src/http/lifecycle.ts";

// What the lifecycle uses of a response: its "close" event.
const response = () => new EventEmitter() as unknown as ServerResponse;

test("is ready until draining starts", () => {
  const lifecycle = createLifecycle();
  expect(lifecycle.ready()).toBe(true);
  void lifecycle.drain();
  expect(lifecycle.ready()).toBe(false);
  expect(lifecycle.draining()).toBe(true);
});

test("drains at once when nothing runs", async () => {
  await createLifecycle().drain();
});

test("drains when the last request in flight closes", async () => {
  const lifecycle = createLifecycle();
  const [a, b] = [response(), response()];
  lifecycle.track(a);
  lifecycle.track(b);
  let drained = false;
  const done = lifecycle.drain().then(() => {
    drained = true;
  });
  a.emit("close");
  await Promise.resolve();
  expect(drained).toBe(false);
  expect(lifecycle.active()).toBe(1);
  b.emit("close");
  await done;
  expect(lifecycle.active()).toBe(0);
});

test("the first stop signal drains; copies of it within the echo window are the same request", () => {
  let now = 1000;
  const stop = createStopSignals(() => now, 1000);
  expect(stop()).toBe("drain");
  now += 5;
  expect(stop()).toBe("echo");
  now += 995;
  expect(stop()).toBe("echo");
});

test("a stop signal after the echo window stops at once", () => {
  let now = 0;
  const stop = createStopSignals(() => now, 1000);
  expect(stop()).toBe("drain");
  now += 1001;
  expect(stop()).toBe("now");
});
