import { createYoga } from "graphql-yoga";
import { DowntubeError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { withBodyLimit } from "../http/body-limit.ts";
import type { Client } from "../limits/client-identity.ts";
import type { GraphQLContext } from "../schema/context.ts";
import { toGraphQLError } from "../schema/errors.ts";
import { createExtractionBudget } from "../schema/extraction-budget.ts";
import { createSchema } from "../schema/index.ts";
import type { AppDeps } from "./app-deps.ts";
import { renderGraphiQLPage } from "./graphiql.ts";
import { GRAPHIQL_WELCOME } from "./graphiql-welcome.ts";
import { graphqlProtection } from "./graphql-protection.ts";
import { createResponseCache } from "./graphql-response-cache.ts";
import { useValidationCache } from "./graphql-validation-cache.ts";
import type { Route } from "./route.ts";

/**
 * A request refused before yoga reads it (an unknown API key, a body over the limit), answered
 * in GraphQL's shape like every other answer of `/graphql`, with the error's status and headers.
 */
function refusal(error: unknown, log: Logger): Response {
  const { message, extensions } = toGraphQLError(error, log);
  const { http: _http, ...rest } = extensions;
  const known = error instanceof DowntubeError;
  return Response.json(
    { errors: [{ message, extensions: rest }] },
    {
      status: known ? error.status : 500,
      headers: { "Cache-Control": "no-store", ...(known ? error.headers : {}) },
    },
  );
}

/**
 * `POST|GET /graphql`: the GraphQL API (graphql-yoga over the Pothos schema), behind the body
 * limit and the operation limits; a browser asking for HTML gets GraphiQL.
 */
export function createGraphqlRoute(
  deps: Pick<
    AppDeps,
    "videos" | "lists" | "cursors" | "tickets" | "limiter" | "apiKeys" | "log" | "config" | "clock"
  >,
): Route {
  const { responseCacheMaxEntries } = deps.config.graphql;
  const cache =
    responseCacheMaxEntries > 0
      ? createResponseCache({
          clock: deps.clock,
          maxEntries: responseCacheMaxEntries,
          ttlMs: deps.config.cache.ttlSeconds * 1000,
          limiter: deps.limiter,
        })
      : undefined;
  const yoga = createYoga<{ client: Client; base: URL }, GraphQLContext>({
    schema: createSchema({ maxBatch: deps.config.limits.maxBatch }),
    // The validation cache comes after the limits' plugins: a result it stores is the one their
    // rules produced, with field suggestions already masked. The response cache answers after
    // CSRF prevention, and only what passed the limits once is stored.
    plugins: [...graphqlProtection(deps.config), useValidationCache(), ...(cache?.plugins ?? [])],
    parserAndValidationCache: { validationCache: false },
    graphqlEndpoint: "/graphql",
    landingPage: false,
    // `withBodyLimit` below has bounded the body before yoga sees it: yoga's own limit would
    // pipe it through another stream and a new Request, on every request.
    maxRequestBodySize: false,
    graphiql: { title: "downtube", defaultQuery: GRAPHIQL_WELCOME },
    renderGraphiQL: renderGraphiQLPage,
    context: ({ client, base, request }): GraphQLContext => {
      const { videos, limiter } = cache?.forExecution(request, deps.videos) ?? deps;
      return {
        videos,
        lists: deps.lists,
        cursors: deps.cursors,
        tickets: deps.tickets,
        downloadBase: base,
        budget: createExtractionBudget(deps.config.limits.maxBatch),
        client,
        limiter,
        apiKeyRequired: deps.apiKeys.required,
      };
    },
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
  return {
    pattern: "/graphql",
    // yoga answers every method itself (405 included), in the GraphQL shape.
    methods: "any",
    async handle(request, { client, base }) {
      let from: Client;
      let limited: Request;
      try {
        from = client();
        limited = await withBodyLimit(request, deps.config.limits.maxBodyBytes);
      } catch (error) {
        return refusal(error, deps.log);
      }
      return yoga.fetch(limited, { client: from, base });
    },
  };
}
