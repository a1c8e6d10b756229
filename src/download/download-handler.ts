import type { DownloadAttempt } from "../core/download-attempt.ts";
import type { FfmpegRunner } from "../core/ffmpeg-job.ts";
import type { Logger } from "../core/logger.ts";
import { errorResponse } from "../http/json-error.ts";
import type { Client } from "../limits/client-identity.ts";
import type { RateLimiter } from "../limits/rate-limiter.ts";
import type { StreamSlots } from "../limits/stream-slots.ts";
import type { TokenService } from "../tokens/token-service.ts";
import type { DownloadPlan } from "./download-plan.ts";
import { createDownloadPlanner } from "./download-planner.ts";
import type { PlannerDeps } from "./plans/plan-context.ts";
import {
  respondArchive,
  respondFfmpegStream,
  respondGatewayFile,
  respondHeadersOnly,
  respondOffloaded,
} from "./responders.ts";

export interface DownloadHandlerDeps extends PlannerDeps {
  readonly limiter: RateLimiter;
  /** Stream slots per client and in all: every download whose bytes pass through the gateway holds one. */
  readonly slots: StreamSlots;
  /** ffmpeg processes running in this instance (`DOWNTUBE_MAX_FFMPEG_JOBS`). */
  readonly ffmpegSlots: StreamSlots;
  readonly ffmpeg: FfmpegRunner;
  readonly tokens: TokenService;
  readonly log: Logger;
}

/** Every ffmpeg job takes one slot of the same, instance-wide pool. */
const FFMPEG_POOL = "ffmpeg";

/** A route's download function: `onClose` runs a callback once the response is over, however it ends. */
export type DownloadHandler = (
  request: Request,
  token: string,
  client: Client,
  onClose: (callback: () => void) => void,
  attempt?: DownloadAttempt,
) => Promise<Response>;

/**
 * `GET|HEAD /download/:token`: token → plan → responder. Verifies the token, makes the plan of
 * the download (`download-planner.ts`: every decision), takes the slots the plan's kind holds,
 * and hands the plan to the responder of its kind. Every failure before the first byte is a JSON
 * error.
 */
export function createDownloadHandler(deps: DownloadHandlerDeps): DownloadHandler {
  const planner = createDownloadPlanner(deps);

  /** Takes the slots a plan holds until its response is over, then writes it. */
  const respond = (
    plan: DownloadPlan,
    request: Request,
    client: Client,
    onClose: (callback: () => void) => void,
  ) => {
    switch (plan.kind) {
      case "headers-only":
        return respondHeadersOnly(plan);
      case "offloaded-file":
        return respondOffloaded(plan);
      case "gateway-file":
        onClose(deps.slots.acquire(client.id));
        return respondGatewayFile(plan, request.signal);
      case "ffmpeg-stream":
        onClose(deps.ffmpegSlots.acquire(FFMPEG_POOL));
        onClose(deps.slots.acquire(client.id));
        return respondFfmpegStream(plan, deps.ffmpeg, request.signal);
      case "archive-stream":
        // One stream however many items; its ffmpeg items run one at a time.
        if (plan.usesFfmpeg) onClose(deps.ffmpegSlots.acquire(FFMPEG_POOL));
        onClose(deps.slots.acquire(client.id));
        return respondArchive(plan, deps.ffmpeg, request.signal);
    }
  };

  return async (request, token, client, onClose, attempt = "download") => {
    try {
      // Counted before the token is even checked: guessing tokens costs allowance too.
      await deps.limiter.take("download", client.id);
      const claims = await deps.tokens.verify(token);
      const plan = await planner.plan({ request, claims, clientId: client.id, attempt });
      return await respond(plan, request, client, onClose);
    } catch (error) {
      // The client went away before any byte: nobody is left to read an answer.
      if (request.signal.aborted) return new Response(null, { status: 499 });
      return errorResponse(error, deps.log);
    }
  };
}
