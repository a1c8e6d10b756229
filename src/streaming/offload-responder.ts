import type { Logger } from "../core/logger.ts";
import { type FetchAttempt, internalUriOf } from "../offload/internal-uri.ts";
import type { FilePlan } from "./download-plan.ts";
import { answerFile, type Redemption } from "./file-answer.ts";
import type { TokenUseCounter } from "./token-uses.ts";

export interface OffloadResponderDeps {
  readonly uses: TokenUseCounter;
  readonly log: Logger;
}

/** Answers a file download with the bytes passing through the gateway (`file-responder.ts`). */
export type ServeInGateway = (redemption: Redemption, plan: FilePlan) => Promise<Response>;

/**
 * Answers a {@link FilePlan} for nginx to carry (`DOWNTUBE_OFFLOAD=nginx`): every decision is
 * the gateway's (416, HEAD, a used-up token, the headers), then an empty answer whose
 * `X-Accel-Redirect` names an internal nginx location and the media location the source
 * resolved. nginx keeps this answer's Content-Type, Content-Disposition, Cache-Control and
 * Accept-Ranges, sets the ETag named in the URI and handles Range itself against the exact size.
 * A format whose bytes only the gateway can fetch is served by `serveInGateway`.
 *
 * A use of the token counts when the redirect is handed out (nginx reports nothing back); the
 * second attempt after a refused media URL (`refetch`) does not count again.
 */
export function createOffloadResponder(deps: OffloadResponderDeps, serveInGateway: ServeInGateway) {
  return async (redemption: Redemption, plan: FilePlan, attempt: FetchAttempt): Promise<Response> => {
    const answer = await answerFile(deps.uses, redemption, plan);
    if (answer.kind === "answered") return answer.response;
    const location = await plan.bytes.locate(redemption.request.signal);
    const uri = location === undefined ? undefined : internalUriOf(attempt, location, plan.etag);
    if (uri === undefined) {
      deps.log.info("download served by the gateway: its media location cannot be offloaded", {
        video: plan.ref.id,
      });
      return serveInGateway(redemption, plan);
    }
    if (attempt === "fetch") await deps.uses.consume(redemption.claims);
    // nginx answers with the origin's length and range, checked against the same size.
    const { "Content-Length": _length, "Content-Range": _range, ...kept } = answer.headers;
    return new Response(null, { status: 200, headers: { ...kept, "X-Accel-Redirect": uri } });
  };
}
