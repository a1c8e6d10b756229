import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config.ts";

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

describe("loadConfig", () => {
  test("offload is off by default, and nginx when asked for; anything else is refused", () => {
    expect(loadConfig({}).offload).toEqual({ mode: "none", nginx: "/usr/sbin/nginx", resolver: undefined });
    const on = loadConfig({
      DOWNTUBE_OFFLOAD: "nginx",
      DOWNTUBE_NGINX: "/opt/nginx/sbin/nginx",
      DOWNTUBE_NGINX_RESOLVER: "10.0.0.2 10.0.0.3",
    });
    expect(on.offload).toEqual({
      mode: "nginx",
      nginx: "/opt/nginx/sbin/nginx",
      resolver: "10.0.0.2 10.0.0.3",
    });
    expect(problemsOf({ DOWNTUBE_OFFLOAD: "apache" }).join()).toContain("DOWNTUBE_OFFLOAD");
  });

  test("gives sane defaults for an empty environment", () => {
    const config = loadConfig({});
    expect(config.env).toBe("development");
    expect(config.port).toBeGreaterThan(0);
    expect(config.tokens.ttlSeconds).toBeLessThanOrEqual(config.tokens.maxTtlSeconds);
    expect(config.youtube.origin).toBeUndefined();
    expect(config.tokens.secrets).toBeUndefined();
  });

  test("reads every variable it documents", () => {
    const secret = "s".repeat(32);
    const config = loadConfig({
      HOST: "0.0.0.0",
      PORT: "8080",
      PUBLIC_URL: "https://dl.example.org/base/",
      DOWNTUBE_TOKEN_SECRETS: ` ${secret}, ${"t".repeat(40)} `,
      DOWNTUBE_TOKEN_TTL: "60",
      DOWNTUBE_TOKEN_MAX_TTL: "120",
      DOWNTUBE_YOUTUBE_ORIGIN: "http://127.0.0.1:8484",
      DOWNTUBE_UPSTREAM_TIMEOUT_MS: "5000",
      DOWNTUBE_CACHE_TTL: "30",
      DOWNTUBE_CACHE_MAX_ENTRIES: "7",
      DOWNTUBE_MAX_BATCH: "3",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 8080,
      tokens: { secrets: [secret, "t".repeat(40)], ttlSeconds: 60, maxTtlSeconds: 120 },
      youtube: { timeoutMs: 5000 },
      cache: { ttlSeconds: 30, maxEntries: 7 },
      limits: { maxBatch: 3 },
      redisUrl: "redis://127.0.0.1:6379",
    });
    expect(config.publicUrl?.href).toBe("https://dl.example.org/base/");
    expect(config.youtube.origin?.origin).toBe("http://127.0.0.1:8484");
  });

  test("lists every bad variable at once", () => {
    const problems = problemsOf({
      PORT: "eighty",
      PUBLIC_URL: "not a url",
      DOWNTUBE_TOKEN_SECRETS: "short",
      DOWNTUBE_YOUTUBE_ORIGIN: "ftp://127.0.0.1",
      DOWNTUBE_MAX_BATCH: "0",
    });
    const named = problems.map((p) => p.split(":")[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        "PORT",
        "PUBLIC_URL",
        "DOWNTUBE_TOKEN_SECRETS.0",
        "DOWNTUBE_YOUTUBE_ORIGIN",
        "DOWNTUBE_MAX_BATCH",
      ]),
    );
  });

  test("refuses a default TTL above the maximum", () => {
    expect(problemsOf({ DOWNTUBE_TOKEN_TTL: "100", DOWNTUBE_TOKEN_MAX_TTL: "50" })[0]).toStartWith(
      "DOWNTUBE_TOKEN_TTL",
    );
  });

  test("refuses to run in production without token secrets", () => {
    expect(problemsOf({ NODE_ENV: "production" })[0]).toStartWith("DOWNTUBE_TOKEN_SECRETS");
  });

  test("treats an empty variable as unset", () => {
    expect(
      loadConfig({ PUBLIC_URL: "", DOWNTUBE_YOUTUBE_ORIGIN: "", REDIS_URL: "" }).publicUrl,
    ).toBeUndefined();
  });
});
