import { describe, expect, test } from "bun:test";
import {
  avoidWindowsReservedName,
  buildFilename,
  extensionForMimeType,
  FALLBACK_FILENAME_STEM,
  MAX_FILENAME_STEM_BYTES,
  sanitizeFilenameStem,
} from "../../src/download/filename.ts";
import { randomText, seededRandom } from "../support/random-text.ts";

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

describe("sanitizeFilenameStem", () => {
  test("keeps an ordinary title as it is", () => {
    expect(sanitizeFilenameStem("Rick Astley - Never Gonna Give You Up (Official Video)")).toBe(
      "Rick Astley - Never Gonna Give You Up (Official Video)",
    );
  });

  test("keeps apostrophes, commas and brackets", () => {
    expect(sanitizeFilenameStem("Don't Stop, [Live] {2024} #1 & more!")).toBe(
      "Don't Stop, [Live] {2024} #1 & more!",
    );
  });

  test("removes double quotes", () => {
    expect(sanitizeFilenameStem('He said "hi" there')).toBe("He said hi there");
  });

  test("removes backslashes and slashes", () => {
    expect(sanitizeFilenameStem("AC/DC\\Back In Black")).toBe("AC DC Back In Black");
  });

  test("removes characters Windows reserves", () => {
    expect(sanitizeFilenameStem("a<b>c:d|e?f*g")).toBe("a b c d e f g");
  });

  test("removes CR, LF, NUL and other control characters", () => {
    expect(sanitizeFilenameStem("line1\r\nline2\u0000x\u0007y\u007fz\u0085w")).toBe("line1 line2 x y z w");
  });

  test("collapses runs of whitespace of any kind", () => {
    expect(sanitizeFilenameStem("a \t\t b\u00a0\u2003c\u2028d")).toBe("a b c d");
  });

  test("trims dots and spaces at both ends", () => {
    expect(sanitizeFilenameStem("  ...hidden. . ")).toBe("hidden");
    expect(sanitizeFilenameStem("Episode 1.5")).toBe("Episode 1.5");
  });

  test("neutralises path traversal", () => {
    expect(sanitizeFilenameStem("../../etc/passwd")).toBe("etc passwd");
    expect(sanitizeFilenameStem("..\\..\\windows\\system32")).toBe("windows system32");
  });

  test("falls back to a default stem when nothing is left", () => {
    expect(sanitizeFilenameStem("")).toBe(FALLBACK_FILENAME_STEM);
    expect(sanitizeFilenameStem("   ")).toBe(FALLBACK_FILENAME_STEM);
    expect(sanitizeFilenameStem("....")).toBe(FALLBACK_FILENAME_STEM);
    expect(sanitizeFilenameStem(". . .")).toBe(FALLBACK_FILENAME_STEM);
    expect(sanitizeFilenameStem('/\\:*?"<>|')).toBe(FALLBACK_FILENAME_STEM);
    expect(sanitizeFilenameStem("\u202e\u200f\r\n")).toBe(FALLBACK_FILENAME_STEM);
  });

  test("keeps emoji, including joined sequences", () => {
    expect(sanitizeFilenameStem("Cats 🐱 👨‍👩‍👧 🇯🇵")).toBe("Cats 🐱 👨‍👩‍👧 🇯🇵");
  });

  test("keeps Hebrew and Arabic letters but strips bidi overrides", () => {
    expect(sanitizeFilenameStem("שלום עולם")).toBe("שלום עולם");
    expect(sanitizeFilenameStem("مرحبا بالعالم")).toBe("مرحبا بالعالم");
    expect(sanitizeFilenameStem("invoice\u202egpj.exe")).toBe("invoicegpj.exe");
    expect(sanitizeFilenameStem("a\u200eb\u200fc\u2066d\u2069e\u061cf")).toBe("abcdef");
  });

  test("composes decomposed accents", () => {
    expect(sanitizeFilenameStem("Cafe\u0301")).toBe("Caf\u00e9");
  });

  test("drops lone surrogates", () => {
    expect(sanitizeFilenameStem("a\ud800b\udfffc")).toBe("abc");
  });

  test("caps a 300-character title at 200 UTF-8 bytes", () => {
    const stem = sanitizeFilenameStem("a".repeat(300));
    expect(stem).toBe("a".repeat(MAX_FILENAME_STEM_BYTES));
  });

  test("caps multi-byte titles without splitting a character or an emoji", () => {
    const accented = sanitizeFilenameStem("é".repeat(300));
    expect(utf8Bytes(accented)).toBe(200);
    expect(accented).toBe("é".repeat(100));

    const family = "👨‍👩‍👧"; // 18 bytes
    const emoji = sanitizeFilenameStem(`${"x".repeat(190)}${family}tail`);
    expect(emoji).toBe("x".repeat(190));

    const flags = sanitizeFilenameStem("🇯🇵".repeat(100)); // 8 bytes each
    expect(flags).toBe("🇯🇵".repeat(25));
  });

  test("re-trims after the cap cuts just after a space or a dot", () => {
    const stem = sanitizeFilenameStem(`${"a".repeat(198)}. bbbbbbbb`);
    expect(stem).toBe("a".repeat(198));
  });

  test("cuts an oversized single grapheme between code points", () => {
    const zalgo = `q${"\u0301\u0302\u0303".repeat(200)}`;
    const stem = sanitizeFilenameStem(zalgo);
    expect(zalgo.startsWith(stem)).toBe(true);
    expect(utf8Bytes(stem)).toBeLessThanOrEqual(MAX_FILENAME_STEM_BYTES);
    expect(utf8Bytes(stem)).toBeGreaterThan(MAX_FILENAME_STEM_BYTES - 4);
  });

  test("suffixes Windows-reserved device names", () => {
    expect(sanitizeFilenameStem("CON")).toBe("CON_");
    expect(sanitizeFilenameStem("con")).toBe("con_");
    expect(sanitizeFilenameStem("nul.tar")).toBe("nul_.tar");
    expect(sanitizeFilenameStem("COM1")).toBe("COM1_");
    expect(sanitizeFilenameStem("lpt9")).toBe("lpt9_");
    expect(sanitizeFilenameStem("AUX .backup")).toBe("AUX_ .backup");
    expect(sanitizeFilenameStem("PRN.")).toBe("PRN_");
  });

  test("leaves names that merely start like a device name alone", () => {
    expect(sanitizeFilenameStem("CON AIR")).toBe("CON AIR");
    expect(sanitizeFilenameStem("Console")).toBe("Console");
    expect(sanitizeFilenameStem("COM10")).toBe("COM10");
    expect(sanitizeFilenameStem("nullable")).toBe("nullable");
  });

  test("never exceeds the cap when a reserved name is suffixed", () => {
    const stem = sanitizeFilenameStem(`CON.${"a".repeat(300)}`);
    expect(stem.startsWith("CON_.")).toBe(true);
    expect(utf8Bytes(stem)).toBeLessThanOrEqual(MAX_FILENAME_STEM_BYTES);
  });

  test("is idempotent and always safe on random text", () => {
    const random = seededRandom(1234);
    for (let i = 0; i < 3000; i++) {
      const input = randomText(random, 1 + Math.floor(random() * 260));
      const stem = sanitizeFilenameStem(input);
      expect(stem.length).toBeGreaterThan(0);
      expect(utf8Bytes(stem)).toBeLessThanOrEqual(MAX_FILENAME_STEM_BYTES);
      expect(stem).not.toMatch(/[\p{Cc}<>:"/\\|?*\u202a-\u202e\u2066-\u2069]/u);
      expect(stem).not.toMatch(/^[. ]|[. ]$|\s\s/);
      expect(stem.isWellFormed()).toBe(true);
      expect(avoidWindowsReservedName(stem)).toBe(stem);
      expect(sanitizeFilenameStem(stem)).toBe(stem);
    }
  });
});

describe("buildFilename", () => {
  test("appends the container's extension to the sanitised title", () => {
    expect(buildFilename('My "Best" Video', "mp4")).toBe("My Best Video.mp4");
    expect(buildFilename("", "webm")).toBe("video.webm");
  });

  test("replaces a media extension the user typed so it follows the container", () => {
    expect(buildFilename("clip.webm", "mp4")).toBe("clip.mp4");
    expect(buildFilename("clip.MP4", "mp4")).toBe("clip.mp4");
    expect(buildFilename("song.mp3 ", "m4a")).toBe("song.m4a");
  });

  test("keeps dots that are not a media extension", () => {
    expect(buildFilename("Episode 1.5", "mp4")).toBe("Episode 1.5.mp4");
    expect(buildFilename("notes.txt", "mp4")).toBe("notes.txt.mp4");
  });

  test("keeps a reserved device name from forming with the extension", () => {
    expect(buildFilename("CON", "mp4")).toBe("CON_.mp4");
    expect(buildFilename("nul.mp4", "mp4")).toBe("nul_.mp4");
  });

  test("refuses an extension that is not short ASCII alphanumerics", () => {
    expect(() => buildFilename("x", "")).toThrow(RangeError);
    expect(() => buildFilename("x", "../exe")).toThrow(RangeError);
    expect(() => buildFilename("x", "mp4\r\n")).toThrow(RangeError);
  });
});

describe("extensionForMimeType", () => {
  test("follows the container of common media types", () => {
    expect(extensionForMimeType('video/mp4; codecs="avc1.42001E, mp4a.40.2"')).toBe("mp4");
    expect(extensionForMimeType('audio/mp4; codecs="mp4a.40.2"')).toBe("m4a");
    expect(extensionForMimeType('video/webm; codecs="vp9"')).toBe("webm");
    expect(extensionForMimeType('audio/webm; codecs="opus"')).toBe("webm");
    expect(extensionForMimeType("video/3gpp")).toBe("3gp");
    expect(extensionForMimeType("audio/mpeg")).toBe("mp3");
  });

  test("ignores case and surrounding whitespace", () => {
    expect(extensionForMimeType(" Video/MP4 ;codecs=x")).toBe("mp4");
  });

  test("answers bin for an unknown type", () => {
    expect(extensionForMimeType("application/x-whatever")).toBe("bin");
    expect(extensionForMimeType("")).toBe("bin");
  });
});
