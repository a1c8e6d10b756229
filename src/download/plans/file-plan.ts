import { createHash } from "node:crypto";
import type { MediaFormat, VideoRef } from "../../core/video.ts";
import { internalUriOf } from "../../offload/internal-uri.ts";
import type { FileDelivery } from "../../tokens/download-claims.ts";
import type { FfmpegStream, GatewayFile, HeadersOnly, OffloadedFile } from "../download-plan.ts";
import { essenceOf } from "../filename.ts";
import type { FormatBytes } from "../format-bytes.ts";
import { planCaptionedFile } from "./captioned-file-plan.ts";
import { planFileClip } from "./clip-plan.ts";
import type { PlanContext } from "./plan-context.ts";
import { answerRange, type FileAnswer } from "./ranged-answer.ts";

/**
 * The ETag of one format of one video. A YouTube id is written as it is; a longer id (a direct
 * URL) and a revision are hashed, so the header neither grows with the URL nor repeats the origin.
 */
function entityTag(ref: VideoRef, format: MediaFormat, size: number): string {
  const plain = /^[\w-]{1,64}$/.test(ref.id) && format.revision === undefined;
  const id = plain
    ? ref.id
    : createHash("sha256")
        .update(`${ref.id}\n${format.revision ?? ""}`)
        .digest("base64url")
        .slice(0, 22);
  return `"${ref.source}-${id}-${format.itag}-${size}"`;
}

/** Range/If-Range against one format of `size` bytes (see `answerRange`). */
function answerFormatRange(context: PlanContext, bytes: FormatBytes, size: number): FileAnswer {
  return answerRange(
    context,
    {
      contentType: essenceOf(bytes.format.mimeType),
      etag: entityTag(context.ref, bytes.format, size),
      // An origin without ranges is sent whole.
      acceptsRanges: bytes.format.acceptsRanges !== false,
    },
    size,
  );
}

/**
 * nginx's answer for a file it may carry: an empty 200 whose X-Accel-Redirect names the media's
 * location; undefined when this file must stay with the gateway. A `maxUses` token stays (its
 * allowance is counted in bytes as they are sent, which nginx cannot report back), and so does
 * an origin without ranges (nginx's slices are ranged reads) or a location nginx cannot reach.
 */
async function offloaded(
  context: PlanContext,
  bytes: FormatBytes,
  answer: FileAnswer,
): Promise<OffloadedFile | undefined> {
  if (context.deps.offload !== "nginx" || context.claims.maxUses !== undefined) return undefined;
  if (bytes.format.acceptsRanges === false) return undefined;
  const location = await bytes.locate(context.request.signal);
  const uri =
    location === undefined
      ? undefined
      : internalUriOf(context.attempt, location, {
          etag: answer.headers.ETag ?? "",
          contentDisposition: answer.headers["Content-Disposition"] ?? "",
          clientId: context.clientId,
        });
  if (uri === undefined) {
    context.deps.log.info("download served by the gateway: its media location cannot be offloaded", {
      video: context.ref.id,
    });
    return undefined;
  }
  // Of this answer nginx keeps Content-Type; the rest of the gateway's headers are in the URI.
  // Content-Length 0 (not an empty chunked body) lets nginx reuse its connection to the gateway
  // after the redirect: without it every offloaded download cost nginx a new connection.
  const contentType = answer.headers["Content-Type"] ?? "application/octet-stream";
  return {
    kind: "offloaded-file",
    headers: { "Content-Type": contentType, "Content-Length": "0", "X-Accel-Redirect": uri },
  };
}

/**
 * Plans one format served as it is: Range/If-Range (206, 416), a strong ETag, HEAD and an empty
 * file answered with headers alone, a used-up token refused (410, to HEAD as to GET), then the
 * bytes: through nginx when offload mode can carry them, else through the gateway, metered.
 * Throws `TokenUsedError`, `RangeNotSatisfiableError`, `StoreUnavailableError` and the source's errors.
 */
export async function planFile(
  context: PlanContext,
  delivery: FileDelivery,
): Promise<HeadersOnly | GatewayFile | OffloadedFile | FfmpegStream> {
  // A clip is made by ffmpeg, not served as fixed bytes.
  if (delivery.clip !== undefined) return planFileClip(context, delivery.itag, delivery.clip);
  // Captions embedded: ffmpeg makes the file (see captioned-file-plan.ts).
  if (delivery.embedCaptions !== undefined)
    return planCaptionedFile(context, delivery, delivery.embedCaptions);
  const { request, claims, deps } = context;
  const bytes = await context.bytesOf(delivery.itag);
  const size = await bytes.size(request.signal);
  const answer = answerFormatRange(context, bytes, size);
  await deps.allowance.check(claims, size);
  if (request.method === "HEAD" || size === 0)
    return { kind: "headers-only", status: answer.status, headers: answer.headers };
  const viaNginx = await offloaded(context, bytes, answer);
  if (viaNginx !== undefined) return viaNginx;
  return {
    kind: "gateway-file",
    status: answer.status,
    headers: answer.headers,
    range: answer.range,
    // `maxUses` counts the bytes actually sent, so an origin failure costs nothing.
    open: async (signal) => deps.allowance.meter(claims, size, (await bytes.open(answer.range, signal)).body),
  };
}
