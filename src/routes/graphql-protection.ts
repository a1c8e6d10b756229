import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import type { Plugin } from "graphql-yoga";
import type { Config } from "../config/config.ts";
import { CsrfHeaderRequiredError } from "../core/errors.ts";

/** The header that marks a GraphQL request as sent by a script, not by a form or a link. */
export const CSRF_HEADER = "x-graphql-yoga-csrf";

/** Content types a browser sends cross-site without a CORS preflight. */
const SIMPLE_CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

/**
 * CSRF prevention: a request a browser could send cross-site without a preflight (no content
 * type, as a GET has, or a form's) must carry {@link CSRF_HEADER}; the refusal names it. Only GET
 * and POST run operations, so only they are checked: any other method is a 405.
 */
function useCsrfHeader(): Plugin {
  return {
    onRequestParse({ request }) {
      // Other methods run nothing: yoga answers them 405, whatever their headers.
      if (request.method !== "GET" && request.method !== "POST") return;
      const type = request.headers.get("content-type")?.toLowerCase();
      const preflighted =
        type !== undefined && !SIMPLE_CONTENT_TYPES.some((simple) => type.startsWith(simple));
      if (preflighted || request.headers.has(CSRF_HEADER)) return;
      throw new CsrfHeaderRequiredError(
        `a GraphQL request a browser could send from another site (a GET, or a form's content type) needs the header ${CSRF_HEADER} (any value); a POST with content-type: application/json needs none`,
      );
    },
  };
}

/** Depth of graphql-js's standard introspection query (`getIntrospectionQuery()`), GraphiQL's. */
export const STANDARD_INTROSPECTION_DEPTH = 21;

/** How deep an introspection (`__schema`) selection may go: the standard query fits, no more. */
export function introspectionDepthOf(maxDepth: number): number {
  return Math.max(maxDepth, STANDARD_INTROSPECTION_DEPTH);
}

/**
 * The limits every GraphQL operation goes through before it runs: depth, aliases (`__typename`
 * included), cost and token count (graphql-armor), a depth ceiling for introspection,
 * introspection itself when configured off, and CSRF prevention (see `useCsrfHeader`). How many
 * videos one operation may ask for is
 * counted while it runs (`extraction budget` in the schema's context).
 */
export function graphqlProtection(config: Pick<Config, "graphql" | "env">): Plugin[] {
  const off = { enabled: false };
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: { n: config.graphql.maxDepth },
      // graphql-armor lets aliases of `__typename` through by default: here they count like any.
      maxAliases: { n: config.graphql.maxAliases, allowList: [] },
      costLimit: { maxCost: config.graphql.maxCost },
      maxTokens: { n: 2000 },
      maxDirectives: { n: 20 },
      // Suggestions ("did you mean …") help a developer and map the schema for an attacker.
      blockFieldSuggestion: { enabled: !config.graphql.introspection },
    }) as Plugin,
    // graphql-armor skips `__schema` when it counts depth; introspection is held to a ceiling of
    // its own, as deep as the schema query GraphiQL sends and no deeper.
    EnvelopArmorPlugin({
      maxDepth: { n: introspectionDepthOf(config.graphql.maxDepth), ignoreIntrospection: false },
      maxAliases: off,
      costLimit: off,
      maxTokens: off,
      maxDirectives: off,
      blockFieldSuggestion: off,
    }) as Plugin,
    useCsrfHeader(),
  ];
  if (!config.graphql.introspection) plugins.push(useDisableIntrospection());
  return plugins;
}
