import { describe, expect, test } from "bun:test";
import {
  formatContentRange,
  formatUnsatisfiedRange,
  ifRangeAllowsRange,
  parseRange,
  type RangeRequest,
  rangeLength,
} from "../../src/download/range.ts";

const SIZE = 1000;

function partial(start: number, end: number): RangeRequest {
  return { kind: "partial", range: { start, end } };
}

describe("parseRange", () => {
  test("serves the full resource when there is no Range header", () => {
    expect(parseRange(undefined, SIZE)).toEqual({ kind: "full" });
    expect(parseRange(null, SIZE)).toEqual({ kind: "full" });
  });

  test("answers a closed range with exactly those bytes", () => {
    expect(parseRange("bytes=0-499", SIZE)).toEqual(partial(0, 499));
    expect(parseRange("bytes=500-500", SIZE)).toEqual(partial(500, 500));
  });

  test("answers an open range up to the last byte", () => {
    expect(parseRange("bytes=900-", SIZE)).toEqual(partial(900, 999));
    expect(parseRange("bytes=0-", SIZE)).toEqual(partial(0, 999));
  });

  test("answers a suffix range with the last n bytes", () => {
    expect(parseRange("bytes=-100", SIZE)).toEqual(partial(900, 999));
    expect(parseRange("bytes=-1", SIZE)).toEqual(partial(999, 999));
  });

  test("serves the whole resource as 206 for a suffix longer than the resource", () => {
    expect(parseRange("bytes=-5000", SIZE)).toEqual(partial(0, 999));
  });

  test("clamps a range whose end is past the last byte", () => {
    expect(parseRange("bytes=990-5000", SIZE)).toEqual(partial(990, 999));
    expect(parseRange("bytes=0-1000", SIZE)).toEqual(partial(0, 999));
  });

  test("answers 416 for a range starting past the end", () => {
    expect(parseRange("bytes=1000-", SIZE)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=1000-2000", SIZE)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=5000-5001", SIZE)).toEqual({ kind: "unsatisfiable" });
  });

  test("answers 416 for an empty suffix", () => {
    expect(parseRange("bytes=-0", SIZE)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-000", SIZE)).toEqual({ kind: "unsatisfiable" });
  });

  test("answers 416 for any int-range on an empty resource", () => {
    expect(parseRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=0-0", 0)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-0", 0)).toEqual({ kind: "unsatisfiable" });
  });

  test("serves an empty resource in full for a non-empty suffix", () => {
    expect(parseRange("bytes=-10", 0)).toEqual({ kind: "full" });
  });

  test("serves a one-byte resource's only byte", () => {
    expect(parseRange("bytes=0-0", 1)).toEqual(partial(0, 0));
    expect(parseRange("bytes=-1", 1)).toEqual(partial(0, 0));
    expect(parseRange("bytes=1-", 1)).toEqual({ kind: "unsatisfiable" });
  });

  test("ignores a header with several ranges and serves the full resource", () => {
    expect(parseRange("bytes=0-1,5-9", SIZE)).toEqual({ kind: "full" });
    expect(parseRange("bytes=0-1, -5", SIZE)).toEqual({ kind: "full" });
    expect(parseRange("bytes=5000-,6000-", SIZE)).toEqual({ kind: "full" });
  });

  test("treats empty list elements as absent", () => {
    expect(parseRange("bytes=0-9, ,", SIZE)).toEqual(partial(0, 9));
    expect(parseRange("bytes=,0-9", SIZE)).toEqual(partial(0, 9));
  });

  test("ignores units other than bytes", () => {
    expect(parseRange("items=0-9", SIZE)).toEqual({ kind: "full" });
    expect(parseRange("none", SIZE)).toEqual({ kind: "full" });
    expect(parseRange("bits=0-", SIZE)).toEqual({ kind: "full" });
  });

  test("accepts the bytes unit in any case", () => {
    expect(parseRange("Bytes=0-9", SIZE)).toEqual(partial(0, 9));
    expect(parseRange("BYTES=0-9", SIZE)).toEqual(partial(0, 9));
  });

  test("tolerates whitespace around the header, the equals sign and commas", () => {
    expect(parseRange("  bytes=0-9  ", SIZE)).toEqual(partial(0, 9));
    expect(parseRange("bytes = 0-9", SIZE)).toEqual(partial(0, 9));
    expect(parseRange("bytes=\t0-9\t", SIZE)).toEqual(partial(0, 9));
  });

  test("ignores syntactically invalid headers", () => {
    for (const header of [
      "",
      "bytes",
      "bytes=",
      "bytes=-",
      "bytes=a-b",
      "bytes=0 - 9",
      "bytes=1.5-2",
      "bytes=+1-2",
      "bytes=-1-2",
      "bytes=1e3-",
      "bytes=0x10-",
      "bytes=0-9-",
      "bytes=--5",
      "bytes=0-9;",
      "=0-9",
      "bytes=,",
    ]) {
      expect({ header, result: parseRange(header, SIZE) }).toEqual({ header, result: { kind: "full" } });
    }
  });

  test("ignores a range whose end is before its start", () => {
    expect(parseRange("bytes=10-5", SIZE)).toEqual({ kind: "full" });
  });

  test("accepts leading zeros", () => {
    expect(parseRange("bytes=007-010", SIZE)).toEqual(partial(7, 10));
  });

  test("copes with numbers far beyond 2^53 without crashing", () => {
    const huge = "9".repeat(400);
    expect(parseRange(`bytes=0-${huge}`, SIZE)).toEqual(partial(0, 999));
    expect(parseRange(`bytes=${huge}-`, SIZE)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange(`bytes=-${huge}`, SIZE)).toEqual(partial(0, 999));
    expect(parseRange(`bytes=${huge}-${huge}`, SIZE)).toEqual({ kind: "unsatisfiable" });
  });

  test("handles resources larger than 2^31 bytes", () => {
    const big = 5 * 2 ** 30;
    expect(parseRange("bytes=4294967296-", big)).toEqual(partial(2 ** 32, big - 1));
    expect(parseRange("bytes=-1", big)).toEqual(partial(big - 1, big - 1));
  });

  test("rejects a size that is not a non-negative safe integer", () => {
    expect(() => parseRange("bytes=0-", -1)).toThrow(RangeError);
    expect(() => parseRange("bytes=0-", 1.5)).toThrow(RangeError);
    expect(() => parseRange("bytes=0-", Number.NaN)).toThrow(RangeError);
    expect(() => parseRange("bytes=0-", 2 ** 53)).toThrow(RangeError);
  });

  test("never returns a range outside the resource for random headers", () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const pieces = ["bytes=", "0", "1", "9", "-", ",", " ", "99999", "", "x", "="];
    for (let i = 0; i < 2000; i++) {
      let header = next() % 2 === 0 ? "bytes=" : "";
      const count = next() % 8;
      for (let j = 0; j < count; j++) header += pieces[next() % pieces.length];
      const size = next() % 50;
      const result = parseRange(header, size);
      if (result.kind === "partial") {
        expect(result.range.start).toBeGreaterThanOrEqual(0);
        expect(result.range.end).toBeGreaterThanOrEqual(result.range.start);
        expect(result.range.end).toBeLessThan(size);
      }
    }
  });
});

describe("ifRangeAllowsRange", () => {
  const etag = '"v1-abc"';
  const lastModified = new Date("2024-05-01T12:00:00.000Z");

  test("honours the range when there is no If-Range header", () => {
    expect(ifRangeAllowsRange(undefined, { etag })).toBe(true);
    expect(ifRangeAllowsRange(null, { etag })).toBe(true);
  });

  test("honours the range when If-Range is the current strong ETag", () => {
    expect(ifRangeAllowsRange('"v1-abc"', { etag })).toBe(true);
  });

  test("sends the full resource when If-Range names another ETag", () => {
    expect(ifRangeAllowsRange('"v2-def"', { etag })).toBe(false);
    expect(ifRangeAllowsRange('"v1-ABC"', { etag })).toBe(false);
  });

  test("never matches a weak ETag", () => {
    expect(ifRangeAllowsRange('W/"v1-abc"', { etag })).toBe(false);
    expect(ifRangeAllowsRange('W/"v1-abc"', { etag: 'W/"v1-abc"' })).toBe(false);
  });

  test("honours the range when If-Range is the exact Last-Modified date", () => {
    expect(ifRangeAllowsRange("Wed, 01 May 2024 12:00:00 GMT", { etag, lastModified })).toBe(true);
  });

  test("ignores milliseconds of Last-Modified, which HTTP dates cannot carry", () => {
    const withMillis = new Date("2024-05-01T12:00:00.750Z");
    expect(ifRangeAllowsRange("Wed, 01 May 2024 12:00:00 GMT", { etag, lastModified: withMillis })).toBe(
      true,
    );
  });

  test("sends the full resource when If-Range is another date", () => {
    expect(ifRangeAllowsRange("Wed, 01 May 2024 12:00:01 GMT", { etag, lastModified })).toBe(false);
    expect(ifRangeAllowsRange("Tue, 30 Apr 2024 12:00:00 GMT", { etag, lastModified })).toBe(false);
  });

  test("sends the full resource for a date when Last-Modified is unknown", () => {
    expect(ifRangeAllowsRange("Wed, 01 May 2024 12:00:00 GMT", { etag })).toBe(false);
  });

  test("sends the full resource for an unparseable If-Range", () => {
    expect(ifRangeAllowsRange("not a date", { etag, lastModified })).toBe(false);
    expect(ifRangeAllowsRange("", { etag, lastModified })).toBe(false);
  });
});

describe("Content-Range formatting", () => {
  test("formats the range of a 206", () => {
    expect(formatContentRange({ start: 0, end: 499 }, 1234)).toBe("bytes 0-499/1234");
    expect(formatContentRange({ start: 2 ** 32, end: 2 ** 33 - 1 }, 2 ** 33)).toBe(
      "bytes 4294967296-8589934591/8589934592",
    );
  });

  test("formats the size of a 416", () => {
    expect(formatUnsatisfiedRange(1234)).toBe("bytes */1234");
    expect(formatUnsatisfiedRange(0)).toBe("bytes */0");
  });

  test("counts the bytes of an inclusive range", () => {
    expect(rangeLength({ start: 0, end: 0 })).toBe(1);
    expect(rangeLength({ start: 10, end: 19 })).toBe(10);
  });
});
