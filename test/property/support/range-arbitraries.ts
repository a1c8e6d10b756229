import fc from "fast-check";

/** A `Range` header to send, and the answer RFC 9110 (as the README narrows it) calls for, if known. */
export interface RangeCase {
  readonly range: string | undefined;
  /** Which `If-Range` to send: none, the resource's ETag, or some other value. */
  readonly ifRange:
    | { readonly kind: "none" }
    | { readonly kind: "etag" }
    | { readonly kind: "other"; readonly value: string };
  /** A single well-formed `bytes` range, as numbers: what a 206 must deliver. */
  readonly simple?: { readonly first?: number; readonly last?: number; readonly suffix?: number };
}

/** Header values fetch can send: Latin-1 without NUL, CR or LF. */
const headerSafe = (text: string) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, "");

function numberText(size: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat(size * 2).map(String),
    fc.constantFrom(0, size - 1, size, size + 1).map(String),
    fc.constantFrom("9".repeat(20), "9".repeat(400), "00000000000000000001", String(2 ** 53 + 1)),
    fc.constantFrom("-1", "+1", "1.5", "1e3", "0x10", " 1", "1 ", "", "½", "\u00b9"),
  );
}

/** One range spec, well-formed or not. */
function spec(size: number): fc.Arbitrary<string> {
  const n = numberText(size);
  return fc.oneof(
    fc.tuple(n, n).map(([a, b]) => `${a}-${b}`),
    n.map((a) => `${a}-`),
    n.map((s) => `-${s}`),
    fc.constantFrom("-", "--", "", "0-0-0", "a-b", "0--1", "*"),
  );
}

const DECIMAL = /^\d+$/;

/** The numbers of a single well-formed range spec (plain digits, below 2^53), if it is one. */
function simpleSpec(text: string): RangeCase["simple"] {
  const [a = "", b = "", ...more] = text.split("-");
  if (more.length > 0) return undefined;
  const small = (t: string) => DECIMAL.test(t) && t.length < 16;
  if (a === "" && small(b)) return { suffix: Number(b) };
  if (small(a) && b === "") return { first: Number(a) };
  if (small(a) && small(b)) return { first: Number(a), last: Number(b) };
  return undefined;
}

/** `Range` headers of every shape, well-formed ones far more often than chance would give. */
export function hostileRange(size: number): fc.Arbitrary<RangeCase> {
  const ifRange = fc.oneof(
    { weight: 4, arbitrary: fc.constant({ kind: "none" } as const) },
    { weight: 2, arbitrary: fc.constant({ kind: "etag" } as const) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            '"nope"',
            'W/"x"',
            "*",
            new Date().toUTCString(),
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "",
          ),
          fc.string({ maxLength: 40 }).map(headerSafe),
        )
        .map((value) => ({ kind: "other", value }) as const),
    },
  );
  const single = fc
    .tuple(fc.constantFrom("bytes", "BYTES", "Bytes"), fc.constantFrom("", " "), spec(size))
    .map(([unit, space, s]) => ({ range: `${unit}${space}=${space}${s}`, simple: simpleSpec(s) }));
  const odd = fc.oneof(
    fc
      .tuple(
        fc.constantFrom("bytes", "items", "", "bytes bytes", "bytés"),
        fc.array(spec(size), { maxLength: 4 }),
      )
      .map(([unit, specs]) => `${unit}=${specs.join(",")}`),
    fc.array(spec(size), { minLength: 2, maxLength: 200 }).map((specs) => `bytes=${specs.join(",")}`),
    fc.string({ maxLength: 60 }).map(headerSafe),
    fc.string({ maxLength: 30 }).map((s) => `bytes=${headerSafe(s)}`),
    fc.constantFrom("bytes=", "bytes=,", "bytes= , ,0-0", "=0-1", "bytes=0-1,", "bytes", "bytes=-0"),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(single, ifRange).map(([s, i]) => ({ ...s, ifRange: i })) },
    { weight: 2, arbitrary: fc.tuple(odd, ifRange).map(([range, i]) => ({ range, ifRange: i })) },
    { weight: 1, arbitrary: ifRange.map((i) => ({ range: undefined, ifRange: i })) },
  );
}

/** What the server must answer for a case, when the case is simple enough to know it. */
export type Expected =
  | { readonly status: 200 }
  | { readonly status: 206; readonly start: number; readonly end: number }
  | { readonly status: 416 }
  | undefined;

/** RFC 9110 §14 for one well-formed range of a `size`-byte file; undefined when not simple. */
export function expectedAnswer(c: RangeCase, size: number): Expected {
  if (c.range === undefined) return { status: 200 };
  if (c.ifRange.kind === "other") return { status: 200 };
  const s = c.simple;
  if (s === undefined) return undefined;
  if (s.suffix !== undefined) {
    return s.suffix === 0
      ? { status: 416 }
      : { status: 206, start: Math.max(0, size - s.suffix), end: size - 1 };
  }
  const first = s.first ?? 0;
  if (s.last !== undefined && s.last < first) return { status: 200 };
  if (first >= size) return { status: 416 };
  return { status: 206, start: first, end: Math.min(s.last ?? size - 1, size - 1) };
}
