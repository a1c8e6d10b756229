import type { IncomingMessage, ServerResponse } from "node:http";
import { createServerAdapter } from "@whatwg-node/server";
import type { Logger } from "../core/logger.ts";

/**
 * Serves a fetch handler (`Request` → `Response`) on a `node:http` server.
 *
 * `@whatwg-node/server` builds the `Request` (body, headers, an abort signal that fires when the
 * client goes away); the response is written here, because a body that fails mid-way is only
 * logged there and the socket left open, so the client would wait forever instead of seeing the
 * response end short of its Content-Length. Writes wait for `drain`: backpressure reaches the
 * origin reads.
 */
export function toNodeListener(handler: (request: Request) => Response | Promise<Response>, log: Logger) {
  const adapter = createServerAdapter(handler);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let response: Response;
    try {
      response = await adapter.handleNodeRequestAndResponse(req, res);
    } catch (error) {
      log.error("the server adapter failed", { error: String(error) });
      res.destroy();
      return;
    }
    res.writeHead(response.status, response.statusText, [...response.headers].flat());
    if (response.body === null) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    // The client went away: cancelling the body cancels the origin request behind it.
    const cancel = () => void reader.cancel().catch(() => undefined);
    res.once("close", cancel);
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        if (!res.write(read.value)) await new Promise((resolve) => res.once("drain", resolve));
      }
      res.end();
    } catch {
      // The body failed mid-way (the origin died): end the connection without the final bytes,
      // so the client sees the truncation against Content-Length.
      res.destroy();
    } finally {
      res.off("close", cancel);
    }
  };
}
