import { createYoga } from "graphql-yoga";
import type { Logger } from "./core/logger.ts";
import type { VideoService } from "./core/video-service.ts";
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

/** The HTTP surface: a `Bun.serve` route table plus the fallback for everything else. */
export interface App {
  readonly routes: Record<string, Handler | Partial<Record<"GET" | "HEAD" | "POST", Handler>>>;
  readonly fallback: Handler;
}

/** Builds the route table from its dependencies; starts nothing. */
export function createApp(deps: AppDeps): App {
  const yoga = createYoga<object, GraphQLContext>({
    schema: createSchema({ maxBatch: deps.maxBatch }),
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: { title: "downtube" },
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

  return {
    routes: {
      "/graphql": graphql,
      "/healthz": { GET: () => Response.json({ status: "ok" }), HEAD: () => new Response(null) },
    },
    fallback: (request) => jsonError(404, "NOT_FOUND", `no route for ${new URL(request.url).pathname}`),
  };
}
