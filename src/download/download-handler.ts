import type { Logger } from "../core/logger.ts";
import type { Merger } from "../core/ports.ts";
import type { VideoService } from "../core/video-service.ts";
import { errorResponse } from "../http/json-error.ts";
import type { Client } from "../limits/client-identity.ts";
import type { RateLimiter } from "../limits/rate-limiter.ts";
import type { StreamSlots } from "../limits/stream-slots.ts";
import type { ByteAllowance } from "../tokens/byte-allowance.ts";
import type { TokenService } from "../tokens/token-service.ts";
import { createDownloadPlanner } from "./download-plan.ts";
import { createFileResponder } from "./file-responder.ts";
import { createMergeResponder } from "./merge-responder.ts";
import { createOffloadResponder } from "./offload-responder.ts";

export interface DownloadHandlerDeps {
  readonly limiter: RateLimiter;
  readonly slots: StreamSlots;
  /** Merges running in this instance (`DOWNTUBE_MAX_MERGES`). */
  readonly mergeSlots: StreamSlots;
  readonly merger: Merger;
  readonly videos: VideoService;
  readonly tokens: TokenService;
  readonly allowance: ByteAllowance;
  readonly log: Logger;
  /** `nginx`: file downloads are answered with an X-Accel-Redirect for nginx to carry. */
  readonly offload: "none" | "nginx";
}

/**
 * How a redemption is served: `download` is the public route; `refresh` is nginx handing back a
 * download whose media URL the origin refused (offload mode only): extract again, redirect again.
 */
export type DownloadAttempt = "download" | "refresh";

/**
 * `GET|HEAD /download/:token`: token → plan → responder. Verifies the token, makes a plan of what
 * it delivers (resolving formats through the metadata cache) and hands the plan to the responder
 * of its kind. Every failure before the first byte is a JSON error.
 */
export function createDownloadHandler(deps: DownloadHandlerDeps) {
  const planner = createDownloadPlanner(deps);
  const respondFile = createFileResponder(deps);
  const respondStream = createMergeResponder(deps);
  const respondOffloaded = createOffloadResponder(deps, respondFile);

  const serve = async (
    request: Request,
    token: string,
    client: Client,
    onClose: (callback: () => void) => void,
    attempt: DownloadAttempt,
  ): Promise<Response> => {
    // Counted before the token is even checked: guessing tokens costs allowance too.
    await deps.limiter.take("download", client.id);
    const claims = await deps.tokens.verify(token);
    const plan = await planner.plan(claims, request.signal, { fresh: attempt === "refresh" });
    const redemption = { request, claims, clientId: client.id, onClose };
    switch (plan.kind) {
      case "file":
        if (deps.offload === "nginx")
          return respondOffloaded(redemption, plan, attempt === "refresh" ? "refetch" : "fetch");
        return respondFile(redemption, plan);
      case "stream":
        return respondStream(redemption, plan);
    }
  };

  return async (
    request: Request,
    token: string,
    client: Client,
    onClose: (callback: () => void) => void,
    attempt: DownloadAttempt = "download",
  ): Promise<Response> => {
    try {
      return await serve(request, token, client, onClose, attempt);
    } catch (error) {
      // The client went away before any byte: nobody is left to read an answer.
      if (request.signal.aborted) return new Response(null, { status: 499 });
      return errorResponse(error, deps.log);
    }
  };
}
