import { timingSafeEqual } from "node:crypto";
import { UnauthenticatedError } from "../core/errors.ts";
import { errorResponse } from "../http/json-error.ts";
import type { AppDeps } from "./app-deps.ts";
import type { Route } from "./route.ts";

const digestOf = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest();

/**
 * `GET /metrics`: the gateway's Prometheus exposition. Open unless `DOWNTUBE_METRICS_TOKEN` is
 * set; then only `Authorization: Bearer <token>` reads it (compared by digest, in constant time),
 * anything else is a 401 `UNAUTHENTICATED`.
 */
export function createMetricsRoute(deps: Pick<AppDeps, "metrics" | "log" | "config">): Route {
  const token = deps.config.observability.metricsToken;
  const expected = token === undefined ? undefined : digestOf(token);
  return {
    pattern: "/metrics",
    methods: ["GET"],
    handle(request) {
      if (expected !== undefined) {
        const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
        if (given === undefined || !timingSafeEqual(digestOf(given), expected)) {
          const refusal = new UnauthenticatedError(
            "/metrics needs Authorization: Bearer <DOWNTUBE_METRICS_TOKEN>",
          );
          return errorResponse(refusal, deps.log);
        }
      }
      return deps.metrics();
    },
  };
}
