import { expect, test } from "bun:test";
import type { YouTubeAccessHealth } from "../../src/routes/app-deps.ts";
import { createReadinessRoute } from "../../src/routes/readiness.ts";
import type { RouteContext } from "../../src/routes/route.ts";

async function readyz(youtube: YouTubeAccessHealth, redis: "up" | "down" | undefined = undefined) {
  const route = createReadinessRoute({
    ready: () => true,
    redisHealth: async () => redis,
    youtubeAccess: () => youtube,
  });
  const response = await route.handle(new Request("http://gateway/readyz"), {} as RouteContext);
  return { status: response.status, body: await response.json() };
}

test("/readyz lists each egress and the PO-token provider; ready while one egress is not resting", async () => {
  expect(await readyz({ egress: { a: "resting", b: "challenged" }, poTokenProvider: "down" })).toEqual({
    status: 200,
    body: { status: "ready", egress: { a: "resting", b: "challenged" }, poTokenProvider: "down" },
  });
});

test("/readyz is degraded, still 200, while every egress rests", async () => {
  expect(await readyz({ egress: { a: "resting", b: "resting" } }, "up")).toEqual({
    status: 200,
    body: { status: "degraded", redis: "up", egress: { a: "resting", b: "resting" } },
  });
});
