import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import type { Plugin } from "graphql-yoga";
import type { Config } from "../config.ts";

/**
 * The limits every GraphQL operation goes through before it runs: depth, aliases, cost and
 * token count (graphql-armor), introspection when configured off, and CSRF prevention: a
 * request a browser could send cross-site without a preflight (a GET, or a form content type)
 * must carry an `x-graphql-yoga-csrf` header. How many videos one operation may ask for is
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
    useCSRFPrevention({ requestHeaders: ["x-graphql-yoga-csrf"] }),
  ];
  if (!config.graphql.introspection) plugins.push(useDisableIntrospection());
  return plugins;
}
