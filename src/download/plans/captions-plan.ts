import { createHash } from "node:crypto";
import { CAPTION_CONTENT_TYPES } from "../../core/caption-file.ts";
import type { CaptionsDelivery } from "../../tokens/download-claims.ts";
import { readCaptionText, textStream } from "../caption-text.ts";
import type { GatewayFile, HeadersOnly } from "../download-plan.ts";
import type { PlanContext } from "./plan-context.ts";
import { answerRange } from "./ranged-answer.ts";

/**
 * Plans a caption file: the track read and written by the gateway (`readCaptionText`) on every
 * redemption, HEAD included (its Content-Length is the written file's), then served as fixed
 * bytes: Range/If-Range, a strong ETag of the text, a used-up token refused. Throws
 * `CaptionsNotFoundError` when the track is gone, `TokenUsedError`, `RangeNotSatisfiableError`,
 * and `readCaptionText`'s errors.
 */
export async function planCaptions(
  context: PlanContext,
  delivery: CaptionsDelivery,
): Promise<HeadersOnly | GatewayFile> {
  const { request, claims, deps } = context;
  const text = await readCaptionText(
    { videos: deps.videos, maxCaptionBytes: deps.maxCaptionBytes },
    context.ref,
    { languageCode: delivery.languageCode, kind: delivery.captionKind, translateTo: delivery.translateTo },
    { format: delivery.format, fresh: context.attempt === "refresh", signal: request.signal },
  );
  const bytes = new TextEncoder().encode(text);
  const hash = createHash("sha256").update(bytes).digest("base64url").slice(0, 22);
  const answer = answerRange(
    context,
    { contentType: CAPTION_CONTENT_TYPES[delivery.format], etag: `"captions-${hash}"`, acceptsRanges: true },
    bytes.length,
  );
  await deps.allowance.check(claims, bytes.length);
  if (request.method === "HEAD" || bytes.length === 0)
    return { kind: "headers-only", status: answer.status, headers: answer.headers };
  const part = bytes.subarray(answer.range.start, answer.range.end + 1);
  return {
    kind: "gateway-file",
    status: answer.status,
    headers: answer.headers,
    range: answer.range,
    open: async () => deps.allowance.meter(claims, bytes.length, textStream(part)),
  };
}
