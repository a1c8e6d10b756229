import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../core/logger.ts";
import type { ResponseHooks } from "../http/node-listener.ts";
import type { Metrics } from "./metrics.ts";
import { requestIdFrom } from "./request-context.ts";

export interface RequestObserverDeps {
  readonly metrics: Metrics;
  readonly log: Logger;
  /** The route template of a path (`/download/:token`, never the token itself). */
  readonly routeOf: (pathname: string) => string;
  readonly newId: () => string;
}

/**
 * Per request: an id (the client's `X-Request-Id` when sane, echoed back), one access-log line
 * and the request metrics when the response closes; for downloads, the active-stream gauge, the
 * time to first byte and the bytes streamed, or, for one handed to nginx (`X-Accel-Redirect`),
 * the count of those: its bytes never pass here.
 */
export function createRequestObserver({ metrics, log, routeOf, newId }: RequestObserverDeps) {
  return (req: IncomingMessage, res: ServerResponse): { requestId: string; hooks: ResponseHooks } => {
    const started = performance.now();
    const header = req.headers["x-request-id"];
    const requestId = requestIdFrom(typeof header === "string" ? header : undefined, newId);
    res.setHeader("X-Request-Id", requestId);
    const method = req.method ?? "GET";
    // `new URL` throws on request targets such as `//`: a request line must never crash the process.
    const route = routeOf(URL.parse(req.url ?? "/", "http://host")?.pathname ?? "/");
    const download = route === "/download/:token" && method === "GET";
    let bytes = 0;
    let streaming = false;
    let offloaded = false;

    res.once("close", () => {
      const seconds = (performance.now() - started) / 1000;
      if (streaming) metrics.streamEnded(bytes);
      metrics.request(route, method, res.statusCode, seconds);
      log.info("request", {
        requestId,
        method,
        route,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1000),
        bytes,
        ...(offloaded ? { offloaded } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });

    return {
      requestId,
      hooks: {
        headers(status, headers) {
          if (!download || (status !== 200 && status !== 206)) return;
          if (headers.has("x-accel-redirect")) {
            offloaded = true;
            metrics.downloadOffloaded();
            return;
          }
          streaming = true;
          metrics.streamStarted();
        },
        wrote(count) {
          if (streaming && bytes === 0) metrics.timeToFirstByte((performance.now() - started) / 1000);
          bytes += count;
        },
      },
    };
  };
}
