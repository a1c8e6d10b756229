import { GraphQLError } from "graphql";
import { DowntubeError } from "../core/errors.ts";
import { describeError, type Logger } from "../core/logger.ts";

/**
 * The one place where an error becomes what a GraphQL client sees. A `DowntubeError` keeps its
 * message and gains its stable `extensions.code`; GraphQL's own errors (syntax, validation) pass
 * as they are; anything else is logged once and masked as "Unexpected error.".
 */
export function toGraphQLError(error: unknown, log: Logger): GraphQLError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const located = error instanceof GraphQLError ? error : undefined;
  const where = {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
  };
  if (original instanceof DowntubeError) {
    if (original.status >= 500)
      log.warn("upstream failure", { code: original.code, ...describeError(original) });
    return new GraphQLError(original.message, { ...where, extensions: { code: original.code } });
  }
  if (original instanceof GraphQLError) return original;
  log.error("unexpected error in a GraphQL operation", { path: located?.path, ...describeError(original) });
  return new GraphQLError("Unexpected error.", { ...where, extensions: { code: "INTERNAL_SERVER_ERROR" } });
}
