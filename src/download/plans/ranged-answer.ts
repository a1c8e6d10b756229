import { RangeNotSatisfiableError } from "../../core/errors.ts";
import type { ByteRange } from "../../core/ports.ts";
import {
  formatContentRange,
  formatUnsatisfiedRange,
  ifRangeAllowsRange,
  parseRange,
  rangeLength,
} from "../range.ts";
import { type PlanContext, presentationHeaders } from "./plan-context.ts";

/** The answer of a download of fixed bytes, whoever carries them: status, range and every header. */
export interface FileAnswer {
  readonly status: 200 | 206;
  readonly range: ByteRange;
  readonly headers: Record<string, string>;
}

/** What a file of fixed bytes says about itself. */
export interface FixedBytes {
  /** The Content-Type. */
  readonly contentType: string;
  /** A strong ETag (quoted) that changes whenever the bytes do. */
  readonly etag: string;
  /** False when the bytes can only be sent whole: a Range is then ignored. */
  readonly acceptsRanges: boolean;
}

/**
 * Range/If-Range against fixed bytes of `size`: 200 or 206 with exact Content-Length (and
 * Content-Range), the ETag and Accept-Ranges. Throws `RangeNotSatisfiableError` (416) for a
 * range past the end.
 */
export function answerRange(context: PlanContext, bytes: FixedBytes, size: number): FileAnswer {
  const { etag, acceptsRanges } = bytes;
  const headers: Record<string, string> = {
    ...presentationHeaders(context, bytes.contentType),
    "Accept-Ranges": acceptsRanges ? "bytes" : "none",
    ETag: etag,
  };
  const { request } = context;
  // Bytes sent only whole ignore a Range (RFC 9110 allows it), never half-served.
  const rangeHeader =
    acceptsRanges && ifRangeAllowsRange(request.headers.get("if-range"), { etag })
      ? request.headers.get("range")
      : null;
  const requested = parseRange(rangeHeader, size);
  if (requested.kind === "unsatisfiable") {
    throw new RangeNotSatisfiableError(`the file has ${size} bytes`, {
      "Content-Range": formatUnsatisfiedRange(size),
      "Accept-Ranges": "bytes",
      ETag: etag,
    });
  }
  const range: ByteRange = requested.kind === "partial" ? requested.range : { start: 0, end: size - 1 };
  const status = requested.kind === "partial" ? 206 : 200;
  headers["Content-Length"] = String(size === 0 ? 0 : rangeLength(range));
  if (status === 206) headers["Content-Range"] = formatContentRange(range, size);
  return { status, range, headers };
}
