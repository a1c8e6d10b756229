import type { ByteRange } from "../core/ports.ts";
import { jsonError } from "../http/json-error.ts";
import type { ByteAllowance } from "../tokens/byte-allowance.ts";
import type { VerifiedClaims } from "../tokens/download-claims.ts";
import { formatContentDisposition } from "./content-disposition.ts";
import type { FilePlan } from "./download-plan.ts";
import {
  formatContentRange,
  formatUnsatisfiedRange,
  ifRangeAllowsRange,
  parseRange,
  rangeLength,
} from "./range.ts";

/** One redemption of a token, as the download route sees it. */
export interface Redemption {
  readonly request: Request;
  readonly claims: VerifiedClaims;
  /** Who asks (stream slots are per client). */
  readonly clientId: string;
  /** Runs `callback` once the response is over, however it ends. */
  readonly onClose: (callback: () => void) => void;
}

/** What a file download comes to before any byte: an answer already, or bytes to send. */
export type FileAnswer =
  | { readonly kind: "answered"; readonly response: Response }
  | {
      readonly kind: "bytes";
      readonly status: 200 | 206;
      readonly range: ByteRange;
      /** Every header of the answer, Content-Length and Content-Range included. */
      readonly headers: Readonly<Record<string, string>>;
    };

/**
 * The decisions of a file download that do not need the origin, the same whoever carries the
 * bytes (the gateway or nginx): headers, Range/If-Range (206, 416), HEAD, an empty file, and a
 * used-up token (410, to HEAD as to GET). Throws `TokenUsedError`, and `StoreUnavailableError`
 * for a `maxUses` token while the store does not answer.
 */
export async function answerFile(
  allowance: ByteAllowance,
  { request, claims }: Redemption,
  plan: FilePlan,
): Promise<FileAnswer> {
  const { size, etag } = plan;
  const headers: Record<string, string> = {
    "Content-Type": plan.contentType,
    "Content-Disposition": formatContentDisposition(claims.disposition, claims.filename),
    "Accept-Ranges": plan.acceptsRanges ? "bytes" : "none",
    ETag: etag,
    "Cache-Control": "private, no-transform",
    "X-Content-Type-Options": "nosniff",
  };

  // An origin without ranges is sent whole: a Range is ignored (RFC 9110 allows it), never half-served.
  const rangeHeader =
    plan.acceptsRanges && ifRangeAllowsRange(request.headers.get("if-range"), { etag })
      ? request.headers.get("range")
      : null;
  const requested = parseRange(rangeHeader, size);
  if (requested.kind === "unsatisfiable") {
    const response = jsonError(416, "RANGE_NOT_SATISFIABLE", `the file has ${size} bytes`, {
      "Content-Range": formatUnsatisfiedRange(size),
      "Accept-Ranges": "bytes",
      ETag: etag,
    });
    return { kind: "answered", response };
  }
  const range: ByteRange = requested.kind === "partial" ? requested.range : { start: 0, end: size - 1 };
  const status = requested.kind === "partial" ? 206 : 200;
  headers["Content-Length"] = String(size === 0 ? 0 : rangeLength(range));
  if (status === 206) headers["Content-Range"] = formatContentRange(range, size);

  // A used-up token answers 410 before anything else, to HEAD as to GET.
  await allowance.check(claims, size);
  if (request.method === "HEAD" || size === 0)
    return { kind: "answered", response: new Response(null, { status, headers }) };
  return { kind: "bytes", status, range, headers };
}
