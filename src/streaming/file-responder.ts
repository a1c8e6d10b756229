import type { ByteRange } from "../core/ports.ts";
import { jsonError } from "../http/json-error.ts";
import { withOwnedChunks } from "../http/owned-chunks.ts";
import type { StreamSlots } from "../limits/stream-slots.ts";
import { formatContentDisposition } from "./content-disposition.ts";
import type { VerifiedClaims } from "./download-claims.ts";
import type { FilePlan } from "./download-plan.ts";
import {
  formatContentRange,
  formatUnsatisfiedRange,
  ifRangeAllowsRange,
  parseRange,
  rangeLength,
} from "./range.ts";
import type { TokenUseCounter } from "./token-uses.ts";

export interface FileResponderDeps {
  readonly slots: StreamSlots;
  readonly uses: TokenUseCounter;
}

/** One redemption of a token, as the download route sees it. */
export interface Redemption {
  readonly request: Request;
  readonly claims: VerifiedClaims;
  /** Who asks (stream slots are per client). */
  readonly clientId: string;
  /** Runs `callback` once the response is over, however it ends. */
  readonly onClose: (callback: () => void) => void;
}

/**
 * Answers a {@link FilePlan}: exact Content-Length, Range/If-Range (206, 416), a strong ETag and
 * HEAD. The status line goes out only once the origin has answered.
 */
export function createFileResponder(deps: FileResponderDeps) {
  return async ({ request, claims, clientId, onClose }: Redemption, plan: FilePlan): Promise<Response> => {
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
      return jsonError(416, "RANGE_NOT_SATISFIABLE", `the file has ${size} bytes`, {
        "Content-Range": formatUnsatisfiedRange(size),
        "Accept-Ranges": "bytes",
        ETag: etag,
      });
    }
    const range: ByteRange = requested.kind === "partial" ? requested.range : { start: 0, end: size - 1 };
    const status = requested.kind === "partial" ? 206 : 200;
    headers["Content-Length"] = String(size === 0 ? 0 : rangeLength(range));
    if (status === 206) headers["Content-Range"] = formatContentRange(range, size);

    // A used-up token answers 410 before anything else, to HEAD as to GET.
    await deps.uses.check(claims, size);
    if (request.method === "HEAD" || size === 0) return new Response(null, { status, headers });

    // A stream holds its slot until the response is over, however it ends.
    onClose(deps.slots.acquire(clientId));
    const media = await plan.bytes.open(range, request.signal);
    // `maxUses` counts the bytes actually sent, so an origin failure costs nothing.
    return new Response(withOwnedChunks(deps.uses.meter(claims, size, media.body)), { status, headers });
  };
}
