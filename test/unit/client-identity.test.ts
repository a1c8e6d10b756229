import { describe, expect, test } from "bun:test";
import { forwardedClient } from "../../src/limits/client-identity.ts";

describe("forwardedClient", () => {
  test("takes the right-most entry behind one proxy", () => {
    expect(forwardedClient("198.51.100.7, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(forwardedClient("203.0.113.9", 1)).toBe("203.0.113.9");
  });

  test("takes the N-th entry from the right behind N proxies", () => {
    expect(forwardedClient("1.1.1.1, 203.0.113.20, 10.0.0.1", 2)).toBe("203.0.113.20");
    expect(forwardedClient("2001:db8::1, 10.0.0.1, 10.0.0.2", 3)).toBe("2001:db8::1");
  });

  test("believes nothing when the header is shorter than the proxy chain, missing or not an address", () => {
    expect(forwardedClient("203.0.113.9", 2)).toBeUndefined();
    expect(forwardedClient(null, 1)).toBeUndefined();
    expect(forwardedClient("", 1)).toBeUndefined();
    expect(forwardedClient("1.1.1.1, not-an-ip", 1)).toBeUndefined();
    expect(forwardedClient("1.1.1.1, unknown", 1)).toBeUndefined();
  });

  test("ignores empty entries from sloppy joins", () => {
    expect(forwardedClient("198.51.100.7, , 203.0.113.9,", 1)).toBe("203.0.113.9");
  });
});
