import type { AppDeps } from "../app.ts";
import type { Route } from "./route.ts";

/**
 * `GET|HEAD /readyz`: ready for traffic; 503 while draining or while the shared store is down,
 * with the reason as the whole body.
 */
export function createReadinessRoute(deps: Pick<AppDeps, "ready" | "dependencies">): Route {
  const unready = (status: string) =>
    Response.json({ status }, { status: 503, headers: { "Retry-After": "5", "Cache-Control": "no-store" } });
  return {
    pattern: "/readyz",
    methods: ["GET", "HEAD"],
    async handle() {
      if (!deps.ready()) return unready("draining");
      try {
        await deps.dependencies();
      } catch {
        return unready("store unavailable"); // the reason is the whole answer: Redis does not respond
      }
      return Response.json({ status: "ready" }, { headers: { "Cache-Control": "no-store" } });
    },
  };
}
