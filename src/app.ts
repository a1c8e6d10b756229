import { createYoga } from "graphql-yoga";
import type { Logger } from "./core/logger.ts";
import type { VideoService } from "./core/video-service.ts";
import { GRAPHIQL_ASSET_ROUTE, renderGraphiQLPage, serveGraphiQLAsset } from "./http/graphiql.ts";
import { jsonError } from "./http/json-error.ts";
import type { GraphQLContext } from "./schema/context.ts";
import { toGraphQLError } from "./schema/errors.ts";
import { createSchema } from "./schema/index.ts";

/** Everything the routes need; built by the composition root (`gateway.ts`). */
export interface AppDeps {
  readonly videos: VideoService;
  readonly log: Logger;
  readonly maxBatch: number;
}

type Handler = (request: Request) => Response | Promise<Response>;

/**
 * Builds the HTTP surface from its dependencies, starting nothing: a `Bun.serve` route table
 * (typed per path, so each handler sees its own params) and the fallback for everything else.
 */
export function createApp(deps: AppDeps) {
  const yoga = createYoga<object, GraphQLContext>({
    schema: createSchema({ maxBatch: deps.maxBatch }),
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: { title: "downtube" },
    renderGraphiQL: renderGraphiQLPage,
    context: (): GraphQLContext => ({ videos: deps.videos }),
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
  const graphql: Handler = (request) => yoga.fetch(request);

  const fallback: Handler = (request) =>
    jsonError(404, "NOT_FOUND", `no route for ${new URL(request.url).pathname}`);
  return {
    fallback,
    routes: {
      "/graphql": graphql,
      [GRAPHIQL_ASSET_ROUTE]: { GET: serveGraphiQLAsset },
      "/healthz": { GET: () => Response.json({ status: "ok" }), HEAD: () => new Response(null) },
    },
  };
}
