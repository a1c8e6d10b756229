import { createYoga } from "graphql-yoga";
import type { Config } from "./config.ts";
import type { Logger } from "./core/logger.ts";
import type { VideoService } from "./core/video-service.ts";
import { withBodyLimit } from "./http/body-limit.ts";
import { renderGraphiQLPage, serveGraphiQLAsset } from "./http/graphiql.ts";
import { graphqlProtection } from "./http/graphql-protection.ts";
import { errorResponse, jsonError } from "./http/json-error.ts";
import type { FetchHandler, RequestInfo } from "./http/node-listener.ts";
import { createSeedEndpoint } from "./http/seed-endpoint.ts";
import type { ApiKeys } from "./limits/api-keys.ts";
import { type Client, identifyClient } from "./limits/client-identity.ts";
import type { RateLimiter } from "./limits/rate-limiter.ts";
import type { StreamSlots } from "./limits/stream-slots.ts";
import { offloadRefreshTokenOf } from "./routes/offload-refresh.ts";
import type { GraphQLContext } from "./schema/context.ts";
import { toGraphQLError } from "./schema/errors.ts";
import { createExtractionBudget } from "./schema/extraction-budget.ts";
import { createSchema } from "./schema/index.ts";
import { createDownloadHandler } from "./streaming/download-handler.ts";
import type { DownloadTickets } from "./streaming/download-tickets.ts";
import type { TokenService } from "./streaming/token-service.ts";
import type { TokenUseCounter } from "./streaming/token-uses.ts";

/** Everything the routes need; built by the composition root (`gateway.ts`). */
export interface AppDeps {
  readonly videos: VideoService;
  readonly tickets: DownloadTickets;
  readonly tokens: TokenService;
  readonly uses: TokenUseCounter;
  readonly log: Logger;
  /** GraphQL limits, request size and batch size. */
  readonly config: Pick<Config, "graphql" | "env" | "limits" | "clients" | "offload">;
  readonly apiKeys: ApiKeys;
  readonly limiter: RateLimiter;
  readonly slots: StreamSlots;
  /** Base of the download URLs handed out; undefined: the origin each request came to. */
  readonly publicUrl: URL | undefined;
  /** False while the gateway drains before it stops. */
  readonly ready: () => boolean;
  /** Resolves when the gateway's dependencies (the shared store) answer; throws otherwise. */
  readonly dependencies: () => Promise<void>;
  /** The Prometheus exposition for `/metrics`. */
  readonly metrics: () => Promise<Response>;
}

/** The token segment of `/download/:token`, still percent-encoded; undefined for other paths. */
function downloadTokenOf(pathname: string): string | undefined {
  const [first, token, ...rest] = pathname.split("/").slice(1);
  return first === "download" && token !== undefined && rest.length === 0 ? token : undefined;
}

/** The route template of a path, for metrics and logs: never the token itself. */
export function routeOf(pathname: string): string {
  if (downloadTokenOf(pathname) !== undefined) return "/download/:token";
  if (offloadRefreshTokenOf(pathname, "nginx") !== undefined) return "/_downtube/refresh/download/:token";
  if (pathname.startsWith("/graphiql/")) return "/graphiql/:asset";
  const known = ["/graphql", "/api/downtube", "/healthz", "/readyz", "/metrics"];
  return known.includes(pathname) ? pathname : "other";
}

const methodNotAllowed = (allow: string) =>
  jsonError(405, "METHOD_NOT_ALLOWED", `use ${allow}`, { Allow: allow });

/**
 * The HTTP surface as one fetch handler (`Request` → `Response`), starting nothing:
 * `/graphql` (and GraphiQL's assets), `/download/:token`, `/api/downtube`, `/healthz` (alive),
 * `/readyz` (ready for traffic; 503 while draining or while the shared store is down), `/metrics`.
 */
export function createApp(deps: AppDeps): FetchHandler {
  const baseOf = (request: Request) => deps.publicUrl ?? new URL("/", request.url);
  const yoga = createYoga<{ client: Client }, GraphQLContext>({
    schema: createSchema({ maxBatch: deps.config.limits.maxBatch }),
    plugins: graphqlProtection(deps.config),
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: { title: "downtube" },
    renderGraphiQL: renderGraphiQLPage,
    context: ({ request, client }): GraphQLContext => ({
      videos: deps.videos,
      tickets: deps.tickets,
      downloadBase: baseOf(request),
      budget: createExtractionBudget(deps.config.limits.maxBatch),
      client,
      limiter: deps.limiter,
      apiKeyRequired: deps.apiKeys.required,
    }),
    maskedErrors: { maskError: (error) => toGraphQLError(error, deps.log), isDev: false },
    logging: {
      debug: () => {},
      info: () => {},
      warn: (...args) => deps.log.warn(String(args[0])),
      // yoga logs every error it masks, expected ones too; `toGraphQLError` already logs the
      // unexpected ones once, with their stack.
      error: () => {},
    },
  });
  const download = createDownloadHandler({ ...deps, offload: deps.config.offload.mode });
  const readiness = async (): Promise<Response> => {
    const unready = (status: string) =>
      Response.json(
        { status },
        { status: 503, headers: { "Retry-After": "5", "Cache-Control": "no-store" } },
      );
    if (!deps.ready()) return unready("draining");
    try {
      await deps.dependencies();
    } catch {
      return unready("store unavailable"); // the reason is the whole answer: Redis does not respond
    }
    return Response.json({ status: "ready" }, { headers: { "Cache-Control": "no-store" } });
  };
  const seed = createSeedEndpoint(deps);

  const route = (request: Request, info: RequestInfo): Response | Promise<Response> => {
    const { pathname } = new URL(request.url);
    const client = () =>
      identifyClient(request, info.clientAddress, {
        apiKeys: deps.apiKeys,
        trustProxy: deps.config.clients.trustProxy,
      });
    const [first, second, third, ...rest] = pathname.split("/").slice(1);
    const get = request.method === "GET";
    const getOrHead = get || request.method === "HEAD";

    if (pathname === "/graphql") {
      const from = client();
      return withBodyLimit(request, deps.config.limits.maxBodyBytes).then((limited) =>
        yoga.fetch(limited, { client: from }),
      );
    }
    const token = downloadTokenOf(pathname);
    if (token !== undefined) {
      if (!getOrHead) return methodNotAllowed("GET, HEAD");
      return download(request, decodePathSegment(token), client(), info.onClose);
    }
    const refresh = offloadRefreshTokenOf(pathname, deps.config.offload.mode);
    if (refresh !== undefined && get)
      return download(request, decodePathSegment(refresh), client(), info.onClose, "refresh");
    if (pathname === "/api/downtube")
      return get ? seed(request, baseOf(request), client()) : methodNotAllowed("GET");
    if (pathname === "/healthz") {
      return getOrHead ? Response.json({ status: "ok" }) : methodNotAllowed("GET, HEAD");
    }
    if (pathname === "/metrics") return get ? deps.metrics() : methodNotAllowed("GET");
    if (pathname === "/readyz") return getOrHead ? readiness() : methodNotAllowed("GET, HEAD");
    if (first === "graphiql" && second !== undefined && third !== undefined && rest.length === 0 && get) {
      return serveGraphiQLAsset(second, third, request.headers.get("accept-encoding"));
    }
    return jsonError(404, "NOT_FOUND", `no route for ${pathname}`);
  };

  // Every route handles its own errors; this is the net under them, so that nothing reaches the
  // server adapter, whose own error page would show a stack trace.
  return async (request, info) => {
    try {
      return await route(request, info);
    } catch (error) {
      return errorResponse(error, deps.log);
    }
  };
}

/** A path segment decoded, or as it is when its percent-encoding is broken (a bad token, say). */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not decodable: passed on as is, and refused by whoever reads it
  }
}
