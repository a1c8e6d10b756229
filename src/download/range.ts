import type { ByteRange } from "../core/ports.ts";

/**
 * What a `Range` request header asks of a resource of known size:
 * - `full`: serve the whole resource with 200 (no header, an ignored header, or a header we
 *   choose not to honour);
 * - `partial`: serve exactly `range` with 206 and `Content-Range`;
 * - `unsatisfiable`: answer 416 with the size in `Content-Range` (see {@link formatUnsatisfiedRange}).
 */
export type RangeRequest =
  | { readonly kind: "full" }
  | { readonly kind: "partial"; readonly range: ByteRange }
  | { readonly kind: "unsatisfiable" };

const FULL: RangeRequest = { kind: "full" };
const UNSATISFIABLE: RangeRequest = { kind: "unsatisfiable" };

// `first-last`, `first-` or `-suffix`; digits only, so Number() never sees a sign, dot or exponent.
const RANGE_SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/;

/**
 * Interprets an HTTP `Range` header (RFC 9110 §14.2) against a resource of `size` bytes.
 *
 * Decisions, all of them allowed by the RFC:
 * - Absent header, a unit other than `bytes` (case-insensitive), or any syntax error (including
 *   `last < first`) → `full`: the header is ignored, never rejected.
 * - More than one range (`bytes=0-1,5-9`) → `full`: downtube does not generate
 *   `multipart/byteranges`, and ignoring multi-range requests also closes the "many tiny
 *   ranges" amplification vector. Empty list elements (`bytes=0-1, ,`) do not count as ranges.
 * - `a-b` with `b` past the end is clamped to the last byte; `a-` runs to the last byte.
 * - `-n` selects the last `n` bytes (the whole resource when `n >= size`); `-0` is unsatisfiable.
 * - `a >= size` is unsatisfiable, so every int-range is unsatisfiable for an empty resource.
 * - An empty resource with `-n` (n > 0) is `full`: RFC 9110 counts it satisfiable, but no
 *   `Content-Range` can describe zero bytes, so the empty 200 is the only sensible answer.
 * - Whitespace around the header, around `=` and around list commas is tolerated; whitespace
 *   inside a range spec is a syntax error.
 * - Numbers of any length are accepted: values beyond 2^53 lose precision but still compare
 *   correctly against `size`, so they clamp or become unsatisfiable instead of crashing.
 *
 * @param header the raw `Range` header value, or null/undefined when absent.
 * @param size total size of the resource in bytes.
 * @throws RangeError when `size` is not a non-negative safe integer (a caller bug).
 */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`resource size must be a non-negative safe integer, got ${size}`);
  }
  if (header === null || header === undefined) return FULL;

  const equals = header.indexOf("=");
  if (equals < 0) return FULL;
  if (header.slice(0, equals).trim().toLowerCase() !== "bytes") return FULL;

  const specs = header
    .slice(equals + 1)
    .split(",")
    .map((spec) => spec.trim())
    .filter((spec) => spec !== "");
  const [only] = specs;
  if (only === undefined || specs.length > 1) return FULL;

  const match = RANGE_SPEC.exec(only);
  if (match === null) return FULL;
  const [, firstText, lastText, suffixText] = match;

  if (suffixText !== undefined) {
    const suffix = Number(suffixText);
    if (suffix === 0) return UNSATISFIABLE;
    if (size === 0) return FULL;
    return partial(Math.max(0, size - suffix), size - 1);
  }

  const first = Number(firstText);
  const last = lastText === undefined || lastText === "" ? undefined : Number(lastText);
  if (last !== undefined && last < first) return FULL;
  if (first >= size) return UNSATISFIABLE;
  return partial(first, last === undefined ? size - 1 : Math.min(last, size - 1));
}

function partial(start: number, end: number): RangeRequest {
  return { kind: "partial", range: { start, end } };
}

/**
 * Decides whether a `Range` header may be honoured given the request's `If-Range` header
 * (RFC 9110 §13.1.5): a client resuming a download sends the validator it saw, and if the
 * resource changed since, it must get the whole new resource (200) rather than a mismatched tail.
 *
 * - No `If-Range` → true.
 * - An entity-tag → true only when it equals `validators.etag` exactly (strong comparison);
 *   a weak tag (`W/"…"`) never matches.
 * - Anything else is read as an HTTP-date → true only when `validators.lastModified` is given and
 *   falls in exactly that second. Unparseable values → false.
 *
 * @param ifRange the raw `If-Range` header value, or null/undefined when absent.
 * @param validators the resource's strong ETag, quotes included (`"abc"`), and its optional
 *   Last-Modified time.
 * @returns true when the `Range` header should be evaluated, false when the full resource must
 *   be sent instead.
 */
export function ifRangeAllowsRange(
  ifRange: string | null | undefined,
  validators: { readonly etag: string; readonly lastModified?: Date | undefined },
): boolean {
  if (ifRange === null || ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) {
    return !validators.etag.startsWith("W/") && value === validators.etag;
  }
  const { lastModified } = validators;
  if (lastModified === undefined) return false;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return false;
  return Math.floor(lastModified.getTime() / 1000) * 1000 === date;
}

/**
 * Formats the `Content-Range` value of a 206 response, e.g. `bytes 0-499/1234`.
 *
 * @param range the bytes being sent, both ends inclusive.
 * @param size total size of the resource in bytes.
 */
export function formatContentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/**
 * Formats the `Content-Range` value of a 416 response (`bytes`, space, asterisk, slash, size),
 * which tells the client the actual size so it can retry with a valid range.
 *
 * @param size total size of the resource in bytes.
 */
export function formatUnsatisfiedRange(size: number): string {
  return `bytes */${size}`;
}

/** Number of bytes in an inclusive range: the `Content-Length` of a 206 response. */
export function rangeLength(range: ByteRange): number {
  return range.end - range.start + 1;
}
