import { errorResponse, jsonError } from "./http/json-error.ts";
import type { FetchHandler } from "./http/node-listener.ts";
import { identifyClient } from "./limits/client-identity.ts";
import type { AppDeps } from "./routes/app-deps.ts";
import { createDownloadRoutes } from "./routes/download.ts";
import { graphiqlAssetRoute } from "./routes/graphiql.ts";
import { createGraphqlRoute } from "./routes/graphql.ts";
import { healthRoute } from "./routes/health.ts";
import { createMetricsRoute } from "./routes/metrics.ts";
import { createPageRoutes } from "./routes/page.ts";
import { createReadinessRoute } from "./routes/readiness.ts";
import { matchPattern, type Route } from "./routes/route.ts";
import { createSeedRoute } from "./routes/seed-endpoint.ts";
import { createThumbnailRoute } from "./routes/thumbnail.ts";

/** The HTTP surface: one fetch handler, and the label of each path for metrics and logs. */
export interface App {
  readonly fetch: FetchHandler;
  /** The pattern of the route a path belongs to (`/download/:token`), or `other`: never a token. */
  routeOf(pathname: string): string;
}

/** Every route of the gateway, in one table: a new route is one module and one line here. */
function createRoutes(deps: AppDeps): readonly Route[] {
  return [
    createGraphqlRoute(deps),
    graphiqlAssetRoute,
    ...createDownloadRoutes(deps),
    createSeedRoute(deps),
    healthRoute,
    createReadinessRoute(deps),
    createMetricsRoute(deps),
    createThumbnailRoute(deps),
    ...createPageRoutes(deps),
  ];
}

/**
 * The HTTP surface as one fetch handler (`Request` → `Response`) over the route table, starting
 * nothing: an unknown path answers 404, a method a route does not take 405 with `Allow`.
 */
export function createApp(deps: AppDeps): App {
  const routes = createRoutes(deps);
  const find = (pathname: string) => {
    for (const route of routes) {
      const params = matchPattern(route.pattern, pathname);
      if (params !== undefined) return { route, params };
    }
    return undefined;
  };

  const dispatch: FetchHandler = (request, info) => {
    const { pathname } = new URL(request.url);
    const found = find(pathname);
    if (found === undefined) return jsonError(404, "NOT_FOUND", `no route for ${pathname}`);
    const { route, params } = found;
    if (route.methods !== "any" && !route.methods.includes(request.method)) {
      const allow = route.methods.join(", ");
      return jsonError(405, "METHOD_NOT_ALLOWED", `use ${allow}`, { Allow: allow });
    }
    return route.handle(request, {
      params,
      info,
      base: deps.publicUrl ?? new URL("/", request.url),
      client: () =>
        identifyClient(request, info.clientAddress, {
          apiKeys: deps.apiKeys,
          trustProxy: deps.config.clients.trustProxy,
          trustedProxyHops: deps.config.clients.trustedProxyHops,
        }),
    });
  };

  return {
    // Every route handles its own errors; this is the net under them, so that nothing reaches
    // the server adapter, whose own error page would show a stack trace.
    fetch: async (request, info) => {
      try {
        return await dispatch(request, info);
      } catch (error) {
        return errorResponse(error, deps.log);
      }
    },
    routeOf: (pathname) => find(pathname)?.route.pattern ?? "other",
  };
}
