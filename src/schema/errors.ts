import { GraphQLError } from "graphql";
import { DowntubeError, MASKED_ERROR, operatorWarning } from "../core/errors.ts";
import { describeError, type Logger } from "../core/logger.ts";

/** Where in the operation an error happened, to carry over to the error the client sees. */
function whereOf(error: GraphQLError | undefined) {
  return { nodes: error?.nodes, source: error?.source, positions: error?.positions, path: error?.path };
}

/**
 * The one place where an error becomes what a GraphQL client sees. A `DowntubeError` keeps its
 * message and gains its stable `extensions.code`; GraphQL's own errors (syntax, validation) pass
 * as they are, those without a code (graphql-js's variable coercion errors) as `BAD_USER_INPUT`;
 * anything else is logged once and masked as "Unexpected error.".
 */
export function toGraphQLError(error: unknown, log: Logger): GraphQLError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const located = error instanceof GraphQLError ? error : undefined;
  const where = whereOf(located);
  if (original instanceof DowntubeError) {
    const warning = operatorWarning(original);
    if (warning !== undefined) log.warn(warning, { code: original.code, ...describeError(original) });
    // Errors that come with response headers (Retry-After, WWW-Authenticate), and those that
    // refuse the whole request before any field runs (no path), set the HTTP status and headers
    // of the answer too, so plain HTTP clients and proxies see them. A field's error alone
    // leaves the answer a 200 with the other fields' data.
    const http =
      Object.keys(original.headers).length > 0 || located?.path === undefined
        ? { http: { status: original.status, headers: original.headers } }
        : {};
    return new GraphQLError(original.message, { ...where, extensions: { code: original.code, ...http } });
  }
  if (original instanceof GraphQLError) {
    if (original.extensions.code !== undefined) return original;
    // graphql-js's own request errors (a variable of the wrong type, a missing input field) come
    // without a code; they are the client's input failing validation.
    return new GraphQLError(original.message, {
      ...whereOf(original),
      originalError: original.originalError,
      extensions: { ...original.extensions, code: "BAD_USER_INPUT" },
    });
  }
  log.error("unexpected error in a GraphQL operation", { path: located?.path, ...describeError(original) });
  return new GraphQLError(MASKED_ERROR.message, { ...where, extensions: { code: MASKED_ERROR.code } });
}
