import type { IncomingMessage, ServerResponse } from "node:http";
import { createServerAdapter } from "@whatwg-node/server";
import { MASKED_ERROR } from "../core/errors.ts";
import { describeError, type Logger } from "../core/logger.ts";
import { chunkReleaserOf } from "./owned-chunks.ts";

/** What the listener tells about each response it writes (metrics, access logs). */
export interface ResponseHooks {
  /** The status line and `headers` are about to go out. */
  headers(status: number, headers: Headers): void;
  /** `bytes` more of the body were handed to the socket. */
  wrote(bytes: number): void;
}

/** What only the connection knows about a request. */
export interface RequestInfo {
  /** The peer's IP address. */
  readonly clientAddress: string;
  /** Runs `callback` once the response is over: finished, failed or abandoned by the client. */
  onClose(callback: () => void): void;
}

/**
 * Resolves once `res` takes more bytes (`drain`) or never will (`close`: the client went away),
 * so a writer waiting on a gone client is not left pending forever.
 */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

export type FetchHandler = (request: Request, info: RequestInfo) => Response | Promise<Response>;

/**
 * Serves a fetch handler (`Request` → `Response`) on a `node:http` server.
 *
 * `@whatwg-node/server` builds the `Request` (body, headers, an abort signal that fires when the
 * client goes away); the response is written here, because a body that fails mid-way is only
 * logged there and the socket left open, so the client would wait forever instead of seeing the
 * response end short of its Content-Length. Writes wait for `drain`: backpressure reaches the
 * origin reads.
 */
export function toNodeListener(handler: FetchHandler, log: Logger) {
  const adapter = createServerAdapter<{ info: RequestInfo }>((request, context) =>
    handler(request, context.info),
  );

  const respond = async (req: IncomingMessage, res: ServerResponse, hooks?: ResponseHooks) => {
    const info: RequestInfo = {
      clientAddress: req.socket.remoteAddress ?? "unknown",
      onClose: (callback) => void res.once("close", callback),
    };
    const response = await adapter.handleNodeRequestAndResponse(req, res, { info });
    hooks?.headers(response.status, response.headers);
    res.writeHead(response.status, response.statusText, [...response.headers].flat());
    if (response.body === null) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    const release = chunkReleaserOf(response.body);
    let gone = false;
    // The client went away: cancelling the body cancels the origin request behind it.
    const cancel = () => {
      gone = true;
      void reader.cancel().catch(() => undefined);
    };
    res.once("close", cancel);
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        const chunk = read.value;
        hooks?.wrote(chunk.byteLength);
        if (!res.write(chunk)) await writable(res);
        if (gone) return;
        // Freed only once the socket holds nothing of this response: while it pushes back, Bun's
        // node:http may still send from the chunk's own memory (freeing right after write()
        // corrupts throttled downloads, see test/integration/download-clients.test.ts).
        if (res.writableLength === 0) release?.(chunk);
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

  return async (req: IncomingMessage, res: ServerResponse, hooks?: ResponseHooks): Promise<void> => {
    try {
      await respond(req, res, hooks);
    } catch (error) {
      // Nothing may escape: an unhandled rejection would stop the whole gateway.
      log.error("a response could not be written", describeError(error));
      failResponse(res);
    }
  };
}

/**
 * Ends a response that failed before its body: a masked 500 when the status line has not gone
 * out yet (Bun's node:http answers a response destroyed before its headers with an empty 200,
 * the one answer a download must never get), otherwise the connection is cut.
 */
export function failResponse(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: MASKED_ERROR });
  res.writeHead(500, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    Connection: "close",
  });
  res.end(body);
}
