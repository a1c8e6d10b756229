import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import type { Plugin } from "graphql-yoga";
import type { Config } from "../config.ts";
import { CsrfHeaderRequiredError } from "../core/errors.ts";

/** The header that marks a GraphQL request as sent by a script, not by a form or a link. */
export const CSRF_HEADER = "x-graphql-yoga-csrf";

/** Content types a browser sends cross-site without a CORS preflight. */
const SIMPLE_CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

/**
 * CSRF prevention: a request a browser could send cross-site without a preflight (no content
 * type, as a GET has, or a form's) must carry {@link CSRF_HEADER}; the refusal names it.
 */
function useCsrfHeader(): Plugin {
  return {
    onRequestParse({ request }) {
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

/**
 * The limits every GraphQL operation goes through before it runs: depth, aliases, cost and
 * token count (graphql-armor), introspection when configured off, and CSRF prevention (see
 * `useCsrfHeader`). How many videos one operation may ask for is
 * counted while it runs (`extraction budget` in the schema's context).
 */
export function graphqlProtection(config: Pick<Config, "graphql" | "env">): Plugin[] {
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: { n: config.graphql.maxDepth },
      maxAliases: { n: config.graphql.maxAliases },
      costLimit: { maxCost: config.graphql.maxCost },
      maxTokens: { n: 2000 },
      maxDirectives: { n: 20 },
      // Suggestions ("did you mean …") help a developer and map the schema for an attacker.
      blockFieldSuggestion: { enabled: !config.graphql.introspection },
    }) as Plugin,
    useCsrfHeader(),
  ];
  if (!config.graphql.introspection) plugins.push(useDisableIntrospection());
  return plugins;
}
