import { afterEach, describe, expect, test } from "bun:test";
import http from "node:http";
import { isLoopbackHost, takeViolations } from "../support/loopback.ts";

// 192.0.2.0/24 is TEST-NET-1: reserved for documentation, never routed. The guard must refuse
// before any packet is sent, so nothing leaves this machine even if it were routed.
const OUTSIDE = "http://192.0.2.1/";

describe("the network guard every test runs under", () => {
  afterEach(() => {
    // The violations provoked here on purpose must not fail the run; any other would.
    takeViolations();
  });

  test("refuses a fetch beyond loopback and records it", async () => {
    await expect(fetch(OUTSIDE)).rejects.toThrow(/network guard: .*192\.0\.2\.1/);
    expect(takeViolations()).toHaveLength(1);
  });

  test("refuses node:http requests beyond loopback", () => {
    expect(() => http.get(OUTSIDE)).toThrow(/network guard/);
    expect(takeViolations()).toHaveLength(1);
  });

  test("lets loopback through", () => {
    for (const host of ["127.0.0.1", "localhost", "[::1]", "127.8.9.10"])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["youtube.com", "10.0.0.1", "192.168.1.1", "::ffff:8.8.8.8"])
      expect(isLoopbackHost(host)).toBe(false);
  });
});
