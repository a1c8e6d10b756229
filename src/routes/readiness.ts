import type { AppDeps } from "./app-deps.ts";
import type { Route } from "./route.ts";

/**
 * `GET|HEAD /readyz`: 200 while this instance can serve, its body naming what is degraded
 * (`{"status":"degraded","redis":"down"}`), and how YouTube treats each egress
 * (`"egress":{"default":"ok"}`: `ok`, `challenged`, `resting`; degraded when every one rests);
 * 503 only while draining. A Redis that is down is down
 * for every instance, and taking them all out of the load balancer at once would turn degraded
 * into down.
 */
export function createReadinessRoute(deps: Pick<AppDeps, "ready" | "redisHealth" | "youtubeAccess">): Route {
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
      const youtube = deps.youtubeAccess?.();
      // YouTube refusing every egress degrades the instance; it still serves cached metadata.
      const refused =
        youtube !== undefined && Object.values(youtube.egress).every((state) => state === "resting");
      const status = redis === "down" || refused ? "degraded" : "ready";
      return Response.json(
        {
          status,
          ...(redis === undefined ? {} : { redis }),
          ...(youtube === undefined ? {} : { egress: youtube.egress }),
          ...(youtube?.poTokenProvider === undefined ? {} : { poTokenProvider: youtube.poTokenProvider }),
        },
        { headers },
      );
    },
  };
}
