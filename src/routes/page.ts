import { jsonError } from "../http/json-error.ts";
import { createPage, offersMergedDownloads } from "../page/page-handler.ts";
import { createSchema } from "../schema/index.ts";
import type { AppDeps } from "./app-deps.ts";
import type { Route } from "./route.ts";

/** `GET|HEAD /` (the page for people; a JSON pointer for programs) and `/page/:version/:name` (its assets). */
export function createPageRoutes(deps: Pick<AppDeps, "apiKeys" | "publicUrl" | "config">): Route[] {
  const page = createPage({
    mergedDownloads: offersMergedDownloads(createSchema({ maxBatch: deps.config.limits.maxBatch })),
    apiKeyRequired: deps.apiKeys.required,
    publicUrl: deps.publicUrl,
  });
  const handle = (request: Request) =>
    page(request, new URL(request.url).pathname) ?? jsonError(404, "NOT_FOUND", "no such page");
  return [
    { pattern: "/", methods: ["GET", "HEAD"], handle },
    { pattern: "/page/:version/:name", methods: ["GET", "HEAD"], handle },
  ];
}
