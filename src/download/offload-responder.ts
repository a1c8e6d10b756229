import type { Logger } from "../core/logger.ts";
import { type FetchAttempt, internalUriOf } from "../offload/internal-uri.ts";
import type { ByteAllowance } from "../tokens/byte-allowance.ts";
import type { FilePlan } from "./download-plan.ts";
import { answerFile, type Redemption } from "./file-answer.ts";

export interface OffloadResponderDeps {
  readonly allowance: ByteAllowance;
  readonly log: Logger;
}

/** Answers a file download with the bytes passing through the gateway (`file-responder.ts`). */
export type ServeInGateway = (redemption: Redemption, plan: FilePlan) => Promise<Response>;

/**
 * Answers a {@link FilePlan} for nginx to carry (`DOWNTUBE_OFFLOAD=nginx`): every decision is
 * the gateway's (416, HEAD, a used-up token, the headers), then an empty answer whose
 * `X-Accel-Redirect` names an internal nginx location, the media location the source resolved,
 * the ETag and the Content-Disposition. nginx keeps this answer's Content-Type and handles Range
 * itself against the exact size the origin reports.
 * A format whose bytes only the gateway can fetch is served by `serveInGateway`.
 *
 * A `maxUses` token is served by the gateway: its allowance is counted in bytes as they are
 * sent (`ByteAllowance.meter`), which nginx cannot report back.
 */
export function createOffloadResponder(deps: OffloadResponderDeps, serveInGateway: ServeInGateway) {
  return async (redemption: Redemption, plan: FilePlan, attempt: FetchAttempt): Promise<Response> => {
    const answer = await answerFile(deps.allowance, redemption, plan);
    if (answer.kind === "answered") return answer.response;
    if (redemption.claims.maxUses !== undefined) return serveInGateway(redemption, plan);
    // A proxy's slices are ranged reads: an origin without ranges is served by the gateway.
    if (!plan.acceptsRanges) return serveInGateway(redemption, plan);
    const location = await plan.bytes.locate(redemption.request.signal);
    const details = {
      etag: plan.etag,
      contentDisposition: answer.headers["Content-Disposition"] ?? "",
      clientId: redemption.clientId,
    };
    const uri = location === undefined ? undefined : internalUriOf(attempt, location, details);
    if (uri === undefined) {
      deps.log.info("download served by the gateway: its media location cannot be offloaded", {
        video: plan.ref.id,
      });
      return serveInGateway(redemption, plan);
    }
    // Of this answer nginx keeps Content-Type; the rest of the gateway's headers are in the URI.
    // Content-Length 0 (not an empty chunked body) lets nginx reuse its connection to the gateway
    // after the redirect: without it every offloaded download cost nginx a new connection.
    const contentType = answer.headers["Content-Type"] ?? "application/octet-stream";
    return new Response(null, {
      status: 200,
      headers: { "Content-Type": contentType, "Content-Length": "0", "X-Accel-Redirect": uri },
    });
  };
}
