import type { AppDeps } from "./app-deps.ts";
import type { Route } from "./route.ts";

/**
 * `GET|HEAD /readyz`: 200 while this instance can serve, its body naming what is degraded
 * (`{"status":"degraded","redis":"down"}`); 503 only while draining. A Redis that is down is down
 * for every instance, and taking them all out of the load balancer at once would turn degraded
 * into down.
 */
export function createReadinessRoute(deps: Pick<AppDeps, "ready" | "redisHealth">): Route {
  const headers = { "Cache-Control": "no-store" };
  return {
    pattern: "/readyz",
    methods: ["GET", "HEAD"],
    async handle() {
      if (!deps.ready()) {
        return Response.json(
          { status: "draining" },
          { status: 503, headers: { ...headers, "Retry-After": "5" } },
        );
      }
      const redis = await deps.redisHealth();
      const status = redis === "down" ? "degraded" : "ready";
      return Response.json(redis === undefined ? { status } : { status, redis }, { headers });
    },
  };
}
