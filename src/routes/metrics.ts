import type { AppDeps } from "./app-deps.ts";
import type { Route } from "./route.ts";

/** `GET /metrics`: the gateway's Prometheus exposition. */
export function createMetricsRoute(deps: Pick<AppDeps, "metrics">): Route {
  return { pattern: "/metrics", methods: ["GET"], handle: () => deps.metrics() };
}
