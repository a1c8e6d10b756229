import { describe, expect, test } from "bun:test";
import { cleanCues, MAX_CUE_CHARACTERS, plainCueText } from "../../src/core/caption-cues.ts";
import { formatSrt, formatVtt } from "../../src/core/caption-file.ts";
import { containerLanguage } from "../../src/core/language-tags.ts";
import { parseJson3 } from "../../src/sources/youtube/json3-captions.ts";
import { parseCaptionFile } from "../support/caption-files.ts";

describe("plain cue text", () => {
  test("removes styling tags and decodes entities, keeping a lone < that starts no tag", () => {
    expect(plainCueText('<font color="#fff">Hi</font> <i>there</i> &amp; &#39;you&#x27; &lt;3')).toBe(
      "Hi there & 'you' <3",
    );
    expect(plainCueText("1 < 2 and <00:00:01.000><c>timed</c>")).toBe("1 < 2 and timed");
  });

  test("drops control and bidi-override characters, blank lines and padding; caps the length", () => {
    expect(plainCueText("\u0000a\u0007b\u202ec\r\n\r\n  d  \n\n")).toBe("abc\nd");
    expect(Array.from(plainCueText("é".repeat(MAX_CUE_CHARACTERS + 50)))).toHaveLength(MAX_CUE_CHARACTERS);
  });
});

describe("cleanCues", () => {
  test("keeps sane cues, sorted; drops broken times and empty text", () => {
    const cues = cleanCues([
      { startMs: 3000, endMs: 4000, text: "third" },
      { startMs: Number.NaN, endMs: 10, text: "no start" },
      { startMs: -1, endMs: 10, text: "negative" },
      { startMs: 500, endMs: 500, text: "no duration" },
      { startMs: 1e300, endMs: 2e300, text: "far away" },
      { startMs: 1000, endMs: 2000, text: "<b></b>" },
      { startMs: 0, endMs: 999.6, text: "first" },
    ]);
    expect(cues).toEqual([
      { startMs: 0, endMs: 1000, text: "first" },
      { startMs: 3000, endMs: 4000, text: "third" },
    ]);
  });
});

describe("writing files", () => {
  const cues = cleanCues([
    { startMs: 0, endMs: 1500, text: "Tom & Jerry <i>run</i>" },
    { startMs: 3_725_004, endMs: 3_726_000, text: "an arrow --> here\nsecond line" },
  ]);

  test("VTT: header, no numbers, dot milliseconds, hours past 59 minutes, text escaped", () => {
    const text = formatVtt(cues);
    expect(text.startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n")).toBe(true);
    expect(parseCaptionFile(text, "vtt")).toEqual([
      { start: 0, end: 1.5, text: "Tom &amp; Jerry run" },
      { start: 3725.004, end: 3726, text: "an arrow --&gt; here\nsecond line" },
    ]);
  });

  test("SRT: numbered from 1, comma milliseconds, plain text, no line that reads as a timing", () => {
    const text = formatSrt(cues);
    expect(text).toContain("01:02:05,004 --> 01:02:06,000");
    expect(parseCaptionFile(text, "srt")).toEqual([
      { start: 0, end: 1.5, text: "Tom & Jerry run" },
      { start: 3725.004, end: 3726, text: "an arrow -> here\nsecond line" },
    ]);
  });

  test("no cues: a VTT with its header alone, an empty SRT", () => {
    expect(formatVtt([])).toBe("WEBVTT\n\n");
    expect(formatSrt([])).toBe("");
  });
});

describe("json3", () => {
  test("joins word segments, skips window and append events, keeps broken times for cleanCues", () => {
    const json = JSON.stringify({
      events: [
        { tStartMs: 0, dDurationMs: 9000, id: 1 },
        { tStartMs: 100, dDurationMs: 900, segs: [{ utf8: "two" }, { utf8: " words", tOffsetMs: 300 }] },
        { tStartMs: 990, dDurationMs: 10, aAppend: 1, segs: [{ utf8: "\n" }] },
        { tStartMs: "x", dDurationMs: 5, segs: [{ utf8: "odd" }] },
        { tStartMs: 2000, dDurationMs: 5, segs: [{ nope: 1 }, "junk"] },
      ],
    });
    const cues = parseJson3(json);
    expect(cues.slice(0, 1)).toEqual([{ startMs: 100, endMs: 1000, text: "two words" }]);
    expect(cues).toHaveLength(2);
    expect(Number.isNaN(cues[1]?.startMs)).toBe(true);
  });

  test("refuses what is not a json3 document", () => {
    expect(() => parseJson3("<html>")).toThrow("not JSON");
    expect(() => parseJson3('{"events":5}')).toThrow("without events");
  });
});

test("container language tags: three letters for known languages and their regional forms", () => {
  expect(containerLanguage("en")).toBe("eng");
  expect(containerLanguage("de")).toBe("ger");
  expect(containerLanguage("pt-BR")).toBe("por");
  expect(containerLanguage("zh-Hans")).toBe("chi");
  expect(containerLanguage("fil")).toBe("fil");
  expect(containerLanguage("xx")).toBeUndefined();
});
