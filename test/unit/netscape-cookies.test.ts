import { describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../src/config/config.ts";
import { CookiesFileError, cookieHeaderFor, parseNetscapeCookies } from "../../src/core/netscape-cookies.ts";

const line = (...fields: string[]) => fields.join("\t");
const NOW = Date.UTC(2026, 11, 4) as number;
const inAYear = String(Math.floor(NOW / 1000) + 365 * 86400);

const FILE = [
  "# Netscape HTTP Cookie File",
  "# exported by a browser extension",
  "",
  line(".youtube.com", "TRUE", "/", "TRUE", inAYear, "SID", "abc"),
  `#HttpOnly_${line(".youtube.com", "TRUE", "/", "TRUE", "0", "__Secure-3PSID", "def")}`,
  line("www.youtube.com", "FALSE", "/feed", "FALSE", "0", "FEED", "only-feed"),
  line(".youtube.com", "TRUE", "/", "FALSE", "1000", "OLD", "expired-long-ago"),
  line(".googlevideo.com", "TRUE", "/", "TRUE", "0", "GV", "media-host"),
  line(".example.com", "TRUE", "/", "FALSE", "0", "OTHER", "elsewhere"),
].join("\r\n");

describe("a Netscape cookies.txt", () => {
  const cookies = parseNetscapeCookies(FILE);

  test("keeps cookie lines, HttpOnly ones included, and skips comments and blank lines", () => {
    expect(cookies.map((cookie) => cookie.name)).toEqual([
      "SID",
      "__Secure-3PSID",
      "FEED",
      "OLD",
      "GV",
      "OTHER",
    ]);
  });

  test("gives a YouTube page the cookies of its domain, not expired ones nor other sites'", () => {
    expect(cookieHeaderFor(cookies, new URL("https://www.youtube.com/watch?v=x"), NOW)).toBe(
      "SID=abc; __Secure-3PSID=def",
    );
  });

  test("matches paths, and keeps secure cookies off plain http", () => {
    expect(cookieHeaderFor(cookies, new URL("https://www.youtube.com/feed/history"), NOW)).toBe(
      "FEED=only-feed; SID=abc; __Secure-3PSID=def",
    );
    expect(cookieHeaderFor(cookies, new URL("http://www.youtube.com/feed"), NOW)).toBe("FEED=only-feed");
    expect(cookieHeaderFor(cookies, new URL("https://m.youtube.com/feed"), NOW)).toBe(
      "SID=abc; __Secure-3PSID=def",
    );
  });

  test("a media host gets only the cookies of its own domain, and a lookalike host none", () => {
    expect(cookieHeaderFor(cookies, new URL("https://rr1---sn.googlevideo.com/videoplayback"), NOW)).toBe(
      "GV=media-host",
    );
    expect(cookieHeaderFor(cookies, new URL("https://notyoutube.com/"), NOW)).toBeUndefined();
  });

  test.each([
    ["a line with six fields", line(".youtube.com", "TRUE", "/", "TRUE", "0", "SID"), 2],
    ["a flag that is not TRUE or FALSE", line(".youtube.com", "yes", "/", "TRUE", "0", "SID", "v"), 2],
    ["an expiry that is not a number", line(".youtube.com", "TRUE", "/", "TRUE", "soon", "SID", "v"), 2],
    ["a value with a semicolon", line(".youtube.com", "TRUE", "/", "TRUE", "0", "SID", "a;b"), 2],
  ])("refuses %s, naming its line and not its value", (_, bad, lineNumber) => {
    let thrown: unknown;
    try {
      parseNetscapeCookies(`# header\n${bad}\n`);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CookiesFileError);
    expect((thrown as CookiesFileError).line).toBe(lineNumber);
    expect((thrown as Error).message).toStartWith(`line ${lineNumber}: `);
    expect((thrown as Error).message).not.toContain("a;b");
  });
});

describe("DOWNTUBE_YOUTUBE_COOKIES_FILE at start-up", () => {
  test("a malformed file stops the gateway with one line naming the file and the line number", async () => {
    const dir = await mkdtemp(join(tmpdir(), "downtube-cookies-"));
    try {
      const path = join(dir, "cookies.txt");
      await writeFile(
        path,
        `# Netscape HTTP Cookie File\n\n${line(".youtube.com", "TRUE", "/", "TRUE", "0", "SID")}\n`,
      );
      let thrown: unknown;
      try {
        loadConfig({ DOWNTUBE_YOUTUBE_COOKIES_FILE: path });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      const message = (thrown as Error).message;
      expect(message.split("\n")).toHaveLength(1);
      expect(message).toContain("DOWNTUBE_YOUTUBE_COOKIES_FILE");
      expect(message).toContain(path);
      expect(message).toContain("line 3");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a missing file is refused at start-up too", () => {
    expect(() => loadConfig({ DOWNTUBE_YOUTUBE_COOKIES_FILE: "/nonexistent/cookies.txt" })).toThrow(/ENOENT/);
  });
});
