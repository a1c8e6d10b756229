import { describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../src/config/config.ts";

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

  test("ffmpeg: from PATH and about two jobs per core by default; both can be set", () => {
    const defaults = loadConfig({}).ffmpeg;
    expect(defaults.command).toBe("ffmpeg");
    expect(defaults.maxJobs).toBe(2 * availableParallelism());
    expect(
      loadConfig({ DOWNTUBE_FFMPEG: "/opt/ffmpeg/bin/ffmpeg", DOWNTUBE_MAX_FFMPEG_JOBS: "3" }).ffmpeg,
    ).toEqual({ command: "/opt/ffmpeg/bin/ffmpeg", maxJobs: 3 });
    expect(problemsOf({ DOWNTUBE_MAX_FFMPEG_JOBS: "0" })[0]).toStartWith("DOWNTUBE_MAX_FFMPEG_JOBS");
  });

  test("DOWNTUBE_MAX_MERGES keeps working as the old name of DOWNTUBE_MAX_FFMPEG_JOBS", () => {
    expect(loadConfig({ DOWNTUBE_MAX_MERGES: "1" }).ffmpeg.maxJobs).toBe(1);
    expect(loadConfig({ DOWNTUBE_MAX_MERGES: "1", DOWNTUBE_MAX_FFMPEG_JOBS: "5" }).ffmpeg.maxJobs).toBe(5);
    expect(problemsOf({ DOWNTUBE_MAX_MERGES: "0" })[0]).toStartWith("DOWNTUBE_MAX_MERGES");
  });

  test("says in one plain sentence what each setting expects, never zod's words or a list index", () => {
    const problems = problemsOf({
      DOWNTUBE_MAX_BATCH: "lots",
      REDIS_URL: "http://x",
      DOWNTUBE_TOKEN_SECRETS: "short",
      DOWNTUBE_TRUST_PROXY: "yes",
    });
    expect(problems).toContain("DOWNTUBE_MAX_BATCH: expected a whole number of at least 1");
    expect(problems).toContain("REDIS_URL: expected a redis:// or rediss:// URL");
    expect(problems).toContain("DOWNTUBE_TRUST_PROXY: expected true or false");
    const secrets = problems.find((p) => p.startsWith("DOWNTUBE_TOKEN_SECRETS"));
    expect(secrets).toBe(
      "DOWNTUBE_TOKEN_SECRETS: expected each secret to have at least 32 characters (one of them is shorter)",
    );
    for (const problem of problems) expect(problem).not.toMatch(/Invalid input|received|NaN|\.\d+:/);
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
        "DOWNTUBE_TOKEN_SECRETS",
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

  test("refuses a HOST that is not an IP address or localhost, naming what it takes", () => {
    for (const host of ["999.1.1.1", "not-a-host", "127.0.0.1:80", ""]) {
      const [problem] = problemsOf({ HOST: host });
      expect(problem).toStartWith("HOST: ");
      expect(problem).toContain("IP address");
    }
    for (const host of ["0.0.0.0", "::", "::1", "192.0.2.7", "localhost"])
      expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  test("refuses an empty or malformed PORT instead of picking one", () => {
    for (const port of ["", " ", "1e3", "0x10", "-1", "65536"])
      expect(problemsOf({ PORT: port })[0]).toStartWith("PORT: ");
    expect(loadConfig({ PORT: "0" }).port).toBe(0);
    expect(loadConfig({ PORT: "65535" }).port).toBe(65535);
  });

  test("reads the token secrets from DOWNTUBE_TOKEN_SECRETS_FILE, one per line or comma-separated", async () => {
    const dir = await mkdtemp(join(tmpdir(), "downtube-secrets-"));
    try {
      const file = join(dir, "secrets");
      await writeFile(file, `${"a".repeat(32)}\n${"b".repeat(40)},${"c".repeat(33)}\n`);
      expect(loadConfig({ DOWNTUBE_TOKEN_SECRETS_FILE: file }).tokens.secrets).toEqual([
        "a".repeat(32),
        "b".repeat(40),
        "c".repeat(33),
      ]);
      expect(loadConfig({ NODE_ENV: "production", DOWNTUBE_TOKEN_SECRETS_FILE: file }).env).toBe(
        "production",
      );
      expect(
        problemsOf({ DOWNTUBE_TOKEN_SECRETS_FILE: file, DOWNTUBE_TOKEN_SECRETS: "x".repeat(32) })[0],
      ).toContain("not both");
      await writeFile(file, "\n");
      expect(problemsOf({ DOWNTUBE_TOKEN_SECRETS_FILE: file })[0]).toContain("holds no secret");
      // A missing file and a directory: neither can be read as secrets.
      for (const path of [join(dir, "missing"), dir])
        expect(problemsOf({ DOWNTUBE_TOKEN_SECRETS_FILE: path })[0]).toStartWith(
          `DOWNTUBE_TOKEN_SECRETS_FILE: cannot read ${path}`,
        );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("treats an empty variable as unset", () => {
    expect(
      loadConfig({ PUBLIC_URL: "", DOWNTUBE_YOUTUBE_ORIGIN: "", REDIS_URL: "" }).publicUrl,
    ).toBeUndefined();
  });

  test("keeps the direct-URL source off by default and reads its allow-lists", () => {
    expect(loadConfig({}).httpSource).toEqual({
      hosts: [],
      allowedAddresses: [],
      maxRedirects: 3,
      maxBytes: 4 * 1024 ** 3,
    });
    const { httpSource } = loadConfig({
      DOWNTUBE_HTTP_SOURCE_HOSTS: " Media.Example.com , *.cdn.example.com,127.0.0.1:8080 ",
      DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: "10.1.2.0/24, fd00::/64",
      DOWNTUBE_HTTP_SOURCE_MAX_REDIRECTS: "0",
      DOWNTUBE_HTTP_SOURCE_MAX_BYTES: "1000",
    });
    expect(httpSource.hosts).toEqual([
      { host: "media.example.com", wildcard: false, port: undefined },
      { host: "cdn.example.com", wildcard: true, port: undefined },
      { host: "127.0.0.1", wildcard: false, port: 8080 },
    ]);
    expect(httpSource.allowedAddresses.map((cidr) => cidr.prefix)).toEqual([24, 64]);
    expect(httpSource).toMatchObject({ maxRedirects: 0, maxBytes: 1000 });
  });

  test("names every malformed allow-list entry", () => {
    const problems = problemsOf({
      DOWNTUBE_HTTP_SOURCE_HOSTS: "ok.example.com,*,user@x.com",
      DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: "10.0.0.0/33,intranet",
    });
    expect(problems).toEqual([
      'DOWNTUBE_HTTP_SOURCE_HOSTS: expected a host, *.domain or host:port, not "*"',
      'DOWNTUBE_HTTP_SOURCE_HOSTS: expected a host, *.domain or host:port, not "user@x.com"',
      'DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: expected an IP address or CIDR block, not "10.0.0.0/33"',
      'DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: expected an IP address or CIDR block, not "intranet"',
    ]);
  });
});

describe("DOWNTUBE_YOUTUBE_EXTRACTORS", () => {
  test("defaults to ytdl-core first, then youtubei.js", () => {
    expect(loadConfig({}).youtube.extractors).toEqual(["ytdl", "youtubei"]);
  });

  test("keeps the order given, spaces and empty items aside", () => {
    expect(loadConfig({ DOWNTUBE_YOUTUBE_EXTRACTORS: " youtubei , ytdl," }).youtube.extractors).toEqual([
      "youtubei",
      "ytdl",
    ]);
    expect(loadConfig({ DOWNTUBE_YOUTUBE_EXTRACTORS: "youtubei" }).youtube.extractors).toEqual(["youtubei"]);
  });

  test("refuses an unknown name, naming it and the known ones", () => {
    const [problem] = problemsOf({ DOWNTUBE_YOUTUBE_EXTRACTORS: "ytdl,yt-dlp" });
    expect(problem).toStartWith("DOWNTUBE_YOUTUBE_EXTRACTORS");
    expect(problem).toContain('"yt-dlp"');
    expect(problem).toContain("ytdl and/or youtubei");
  });

  test("refuses a list that names no extractor, or one twice", () => {
    expect(problemsOf({ DOWNTUBE_YOUTUBE_EXTRACTORS: " , " })[0]).toContain("expected ytdl and/or youtubei");
    expect(problemsOf({ DOWNTUBE_YOUTUBE_EXTRACTORS: "ytdl,ytdl" })[0]).toContain("twice");
  });
});

describe("DOWNTUBE_METRICS_TOKEN", () => {
  test("is unset by default: /metrics stays open", () => {
    expect(loadConfig({}).observability.metricsToken).toBeUndefined();
  });

  test("a short token, or one with spaces, stops start-up with a sentence naming the variable", () => {
    for (const token of ["short", "sixteen chars with spaces"]) {
      const error = (() => {
        try {
          loadConfig({ DOWNTUBE_METRICS_TOKEN: token });
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(String((error as ConfigError).message)).toStartWith(
        "invalid configuration: DOWNTUBE_METRICS_TOKEN: expected",
      );
    }
  });
});
