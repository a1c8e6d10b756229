import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import type { Plugin } from "graphql-yoga";
import type { Config } from "../config.ts";

/** Depth of graphql-js's standard introspection query (`getIntrospectionQuery()`), GraphiQL's. */
export const STANDARD_INTROSPECTION_DEPTH = 21;

/** How deep an introspection (`__schema`) selection may go: the standard query fits, no more. */
export function introspectionDepthOf(maxDepth: number): number {
  return Math.max(maxDepth, STANDARD_INTROSPECTION_DEPTH);
}

/**
 * The limits every GraphQL operation goes through before it runs: depth, aliases (`__typename`
 * included), cost and token count (graphql-armor), a depth ceiling for introspection,
 * introspection itself when configured off, and CSRF prevention: a request a browser could send
 * cross-site without a preflight (a GET, or a form content type) must carry an
 * `x-graphql-yoga-csrf` header. How many videos one operation may ask for is
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
    useCSRFPrevention({ requestHeaders: ["x-graphql-yoga-csrf"] }),
  ];
  if (!config.graphql.introspection) plugins.push(useDisableIntrospection());
  return plugins;
}
