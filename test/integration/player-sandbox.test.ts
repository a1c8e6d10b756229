import { afterEach, describe, expect, test } from "bun:test";
import { UpstreamError } from "../../src/core/errors.ts";
import { createPlayerSandbox, type PlayerSandbox } from "../../src/sources/youtube/player-sandbox-client.ts";
import { exists as alive } from "../support/processes.ts";

const sandboxes: PlayerSandbox[] = [];
const sandbox = (timeoutMs = 5000) => {
  const created = createPlayerSandbox({ timeoutMs });
  sandboxes.push(created);
  return created;
};
afterEach(async () => {
  for (const created of sandboxes.splice(0)) await created.stop();
});

describe("the player sandbox", () => {
  test("runs player code in a process of its own and returns what it evaluates to", async () => {
    const box = sandbox();
    expect(await box.run('return { n: "abc".split("").reverse().join("") }')).toEqual({ n: "cba" });
    const pid = box.pid();
    expect(pid).toBeNumber();
    expect(pid).not.toBe(process.pid);
  });

  test("gives the player code none of the gateway's environment", async () => {
    const box = sandbox();
    expect(await box.run("return Object.keys(Bun.env)")).toEqual([]);
    expect(await box.run("return [typeof fetch, typeof process, typeof WebSocket]")).toEqual([
      "undefined",
      "undefined",
      "undefined",
    ]);
  });

  test("turns a throw in the player code into UpstreamError and keeps serving", async () => {
    const box = sandbox();
    await expect(box.run('throw new Error("broken player")')).rejects.toBeInstanceOf(UpstreamError);
    expect(await box.run("return 1 + 1")).toBe(2);
  });

  test("kills code that never ends after the timeout; the next evaluation gets a new process", async () => {
    const box = sandbox(300);
    await box.run("return 0");
    const first = box.pid() ?? -1;
    await expect(box.run("for (;;) {}")).rejects.toThrow(/did not finish within 300 ms/);
    expect(await box.run("return 42")).toBe(42);
    expect(box.pid()).not.toBe(first);
  });

  test("does not outlive stop(), and starts no process after it", async () => {
    const box = sandbox();
    await box.run("return 0");
    const pid = box.pid() ?? -1;
    expect(alive(pid)).toBe(true);
    await box.stop();
    expect(alive(pid)).toBe(false);
    await expect(box.run("return 0")).rejects.toBeInstanceOf(UpstreamError);
    expect(box.pid()).toBeUndefined();
  });
});
