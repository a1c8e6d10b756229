/**
 * Hostile caption text, property-tested on the pure path a track takes (json3 → cues → file):
 * whatever a track holds (any characters, markup, arrows, blank lines, any numbers for times),
 * the gateway writes a VTT and an SRT file that a strict reader accepts, with one cue per sane
 * cue and no control characters. Replay a failure with `FC_SEED=<seed> bun test test/property`.
 */
import { expect, test } from "bun:test";
import fc from "fast-check";
import { cleanCues } from "../../src/core/caption-cues.ts";
import { formatSrt, formatVtt } from "../../src/core/caption-file.ts";
import { parseJson3 } from "../../src/sources/youtube/json3-captions.ts";
import { parseCaptionFile } from "../support/caption-files.ts";

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom(
    "-->",
    "\n\n",
    "\r\n",
    "<b>",
    "</i>",
    "<c.red>",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "WEBVTT",
    "1",
    "\u202e",
  ),
  fc.string({ unit: fc.constantFrom("<", ">", "&", "-", "\n", " ", ";", "#", "a"), maxLength: 30 }),
);
const time = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.double(),
  fc.constantFrom(-1, 0, 1e300, Number.MAX_SAFE_INTEGER),
  fc.string({ maxLength: 5 }),
);
const event = fc.record({
  tStartMs: time,
  dDurationMs: time,
  segs: fc.array(fc.record({ utf8: hostileText }), { maxLength: 4 }),
});

test("any json3 events make a VTT and an SRT file that parse, one cue per sane cue", () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 20 }), (events) => {
      const cues = cleanCues(parseJson3(JSON.stringify({ events })));
      const vtt = formatVtt(cues);
      const srt = formatSrt(cues);
      for (const text of [vtt, srt]) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
        expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      }
      const fromVtt = parseCaptionFile(vtt, "vtt");
      const fromSrt = parseCaptionFile(srt, "srt");
      expect(fromVtt).toHaveLength(cues.length);
      expect(fromSrt).toHaveLength(cues.length);
      expect(fromSrt.map((c) => [c.start, c.end])).toEqual(
        cues.map((c) => [c.startMs / 1000, c.endMs / 1000]),
      );
      expect(fromVtt.every((c) => !c.text.includes("-->"))).toBe(true);
    }),
    { numRuns: 300, seed },
  );
});
