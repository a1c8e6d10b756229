import { UnauthenticatedError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { errorResponse, jsonError } from "../http/json-error.ts";
import type { Client } from "../limits/client-identity.ts";
import type { RateLimiter } from "../limits/rate-limiter.ts";
import type { DownloadTickets } from "../tokens/download-tickets.ts";
import type { Route } from "./route.ts";

/**
 * `GET /api/downtube?video_url=…`: the endpoint of the Django view downtube replaces, kept for
 * its callers. It mints a fresh attachment URL for the best muxed mp4 and redirects to it, so
 * `curl -LOJ` saves the file under the video's title.
 */
export function createSeedRoute(deps: {
  tickets: DownloadTickets;
  log: Logger;
  limiter: RateLimiter;
  apiKeys: { required: boolean };
}): Route {
  const answer = async (request: Request, downloadBase: URL, client: Client): Promise<Response> => {
    const videoUrl = new URL(request.url).searchParams.get("video_url");
    if (videoUrl === null || videoUrl.trim() === "") {
      return jsonError(400, "BAD_USER_INPUT", "the video_url query parameter is required");
    }
    if (videoUrl.length > 2048) return jsonError(400, "BAD_USER_INPUT", "video_url is too long");
    try {
      if (deps.apiKeys.required && client.apiKeyId === undefined) {
        throw new UnauthenticatedError("preparing downloads needs an API key: Authorization: Bearer <key>");
      }
      await deps.limiter.take("prepare", client.id);
      const ticket = await deps.tickets.prepare(
        { url: videoUrl, disposition: "attachment", apiKeyId: client.apiKeyId },
        downloadBase,
      );
      return new Response(null, {
        status: 302,
        headers: { Location: ticket.url, "Cache-Control": "no-store" },
      });
    } catch (error) {
      return errorResponse(error, deps.log);
    }
  };
  return {
    pattern: "/api/downtube",
    // HEAD answers GET's status and headers (`curl -IL`): the same redirect to a fresh link.
    methods: ["GET", "HEAD"],
    handle: (request, { base, client }) => answer(request, base, client()),
  };
}
