import { describe, expect, test } from "bun:test";
import { asciiFallback, formatContentDisposition } from "../../src/download/content-disposition.ts";
import { buildFilename } from "../../src/download/filename.ts";
import { randomText, seededRandom } from "../support/random-text.ts";

/** Reads the two filename parameters back the way a user agent would. */
function parse(header: string): { disposition: string; fallback: string; utf8: string } {
  const match =
    /^(attachment|inline); filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(
      header,
    );
  if (match === null) throw new Error(`unexpected Content-Disposition: ${JSON.stringify(header)}`);
  const [, disposition = "", fallback = "", encoded = ""] = match;
  return { disposition, fallback, utf8: decodeURIComponent(encoded) };
}

describe("formatContentDisposition", () => {
  test("offers a plain ASCII name in both parameters", () => {
    expect(formatContentDisposition("attachment", "My Video.mp4")).toBe(
      "attachment; filename=\"My Video.mp4\"; filename*=UTF-8''My%20Video.mp4",
    );
  });

  test("marks inline downloads as inline", () => {
    expect(formatContentDisposition("inline", "a.webm")).toBe(
      "inline; filename=\"a.webm\"; filename*=UTF-8''a.webm",
    );
  });

  test("percent-encodes characters outside RFC 8187 attr-char", () => {
    const header = formatContentDisposition("attachment", "Don't (stop) 100% & #1 ~ok.mp4");
    expect(header).toContain("filename*=UTF-8''Don%27t%20%28stop%29%20100%25%20%26%20%231%20~ok.mp4");
    expect(parse(header).utf8).toBe("Don't (stop) 100% & #1 ~ok.mp4");
  });

  test("encodes non-ASCII titles as UTF-8 and transliterates the fallback", () => {
    const header = formatContentDisposition("attachment", "Café Straße Ødegaard – “Live”.mp4");
    const { fallback, utf8 } = parse(header);
    expect(utf8).toBe("Café Straße Ødegaard – “Live”.mp4");
    expect(fallback).toBe("Cafe Strasse Odegaard - 'Live'.mp4");
    expect(header).toContain("Caf%C3%A9");
  });

  test("keeps emoji in the UTF-8 name and drops them from the fallback", () => {
    const { fallback, utf8 } = parse(formatContentDisposition("attachment", "Cats 🐱 compilation.mp4"));
    expect(utf8).toBe("Cats 🐱 compilation.mp4");
    expect(fallback).toBe("Cats compilation.mp4");
  });

  test("falls back to a default ASCII stem for titles with no ASCII letters", () => {
    const { fallback, utf8 } = parse(formatContentDisposition("attachment", "שלום עולם.mp4"));
    expect(utf8).toBe("שלום עולם.mp4");
    expect(fallback).toBe("video.mp4");
    expect(parse(formatContentDisposition("attachment", "日本語の動画.m4a")).fallback).toBe("video.m4a");
  });

  test("removes quotes, backslashes and line breaks from a raw name", () => {
    const header = formatContentDisposition("attachment", 'evil"; filename="x.exe"\r\nSet-Cookie: a=b\\.mp4');
    const { fallback, utf8 } = parse(header);
    expect(fallback).toBe("evil ; filename= x.exe Set-Cookie a=b.mp4");
    expect(utf8).toBe(fallback);
  });

  test("neutralises path traversal and bidi tricks in a raw name", () => {
    expect(parse(formatContentDisposition("attachment", "../../etc/passwd")).utf8).toBe("etc passwd");
    expect(parse(formatContentDisposition("attachment", "invoice\u202egpj.exe.mp4")).utf8).toBe(
      "invoicegpj.exe.mp4",
    );
  });

  test("leaves a name from buildFilename unchanged", () => {
    const filename = buildFilename("Rick Astley — Never Gonna Give You Up 🎵", "mp4");
    expect(parse(formatContentDisposition("attachment", filename)).utf8).toBe(filename);
  });

  test("never emits control characters or non-ASCII bytes, whatever the name", () => {
    const random = seededRandom(20240501);
    for (let i = 0; i < 3000; i++) {
      const name = randomText(random, Math.floor(random() * 120));
      const header = formatContentDisposition(random() < 0.5 ? "attachment" : "inline", name);
      expect(header).toMatch(/^[\x20-\x7e]+$/);
      const { fallback, utf8 } = parse(header);
      expect(fallback.length).toBeGreaterThan(0);
      expect(fallback).not.toMatch(/[%/\\:*?<>|]/);
      expect(utf8.length).toBeGreaterThan(0);
    }
  });
});

describe("asciiFallback", () => {
  test("turns compatibility forms into ASCII without smuggling separators back in", () => {
    expect(asciiFallback("ｆｕｌｌ＂ｗｉｄｔｈ／℅.mp4")).toBe("full width c o.mp4");
  });

  test("replaces percent signs so old clients do not decode them", () => {
    expect(asciiFallback("100%41 real.mp4")).toBe("100_41 real.mp4");
  });

  test("keeps a transliterated Windows device name from forming", () => {
    expect(asciiFallback("CØN.mp4")).toBe("CON_.mp4");
  });

  test("caps a name that transliteration made longer", () => {
    const stem = asciiFallback(`${"ß".repeat(150)}.mp4`);
    expect(stem).toBe(`${"ss".repeat(100)}.mp4`);
  });
});
