import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config/config.ts";

function problems(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe("the YouTube access settings", () => {
  test("unset: no cookies, no token, no proxy", () => {
    expect(loadConfig({}).youtubeAccess).toEqual({
      cookiesFile: undefined,
      poToken: undefined,
      visitorData: undefined,
      poTokenProvider: undefined,
      egressProxies: [],
    });
  });

  test("proxies are named by host:port unless given a name, and never by their credentials", () => {
    const { egressProxies } = loadConfig({
      DOWNTUBE_EGRESS_PROXIES:
        "http://user:secret@10.0.0.1:3128, eu=https://proxy.example.net, http://10.0.0.2",
    }).youtubeAccess;
    expect(egressProxies.map((proxy) => proxy.id)).toEqual(["10.0.0.1:3128", "eu", "10.0.0.2:80"]);
    expect(egressProxies[0]?.url).toBe("http://user:secret@10.0.0.1:3128");
  });

  test.each([
    [{ DOWNTUBE_EGRESS_PROXIES: "socks5://10.0.0.1:1080" }, "DOWNTUBE_EGRESS_PROXIES"],
    [{ DOWNTUBE_EGRESS_PROXIES: "http://10.0.0.1:3128,http://10.0.0.1:3128" }, "names the same proxy twice"],
    [{ DOWNTUBE_YOUTUBE_PO_TOKEN: "abc" }, "needs DOWNTUBE_YOUTUBE_VISITOR_DATA"],
    [
      {
        DOWNTUBE_YOUTUBE_PO_TOKEN: "abc",
        DOWNTUBE_YOUTUBE_VISITOR_DATA: "Cgt",
        DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER: "http://127.0.0.1:4416",
      },
      "not both",
    ],
    [{ DOWNTUBE_YOUTUBE_PO_TOKEN: "has spaces", DOWNTUBE_YOUTUBE_VISITOR_DATA: "Cgt" }, "PO token"],
    [{ DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER: "ftp://127.0.0.1" }, "DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER"],
  ])("refuses %p, saying what is wrong", (environment, expected) => {
    expect(problems(environment).join("\n")).toContain(expected);
  });
});
