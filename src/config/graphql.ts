import { z } from "zod";
import { emptyAsUndefined, nonNegative, positive } from "./schema-parts.ts";

/** GraphQL and request limits. */
export const graphqlSettings = z
  .object({
    NODE_ENV: z.string().optional(),
    DOWNTUBE_MAX_BATCH: positive(20),
    DOWNTUBE_GRAPHQL_INTROSPECTION: z.preprocess(
      emptyAsUndefined,
      z.enum(["true", "false"], { error: "expected true or false" }).optional(),
    ),
    DOWNTUBE_GRAPHQL_MAX_DEPTH: positive(8),
    DOWNTUBE_GRAPHQL_MAX_ALIASES: positive(10),
    DOWNTUBE_GRAPHQL_MAX_COST: positive(5000),
    DOWNTUBE_MAX_BODY_BYTES: positive(64 * 1024, "number of bytes"),
    DOWNTUBE_RESPONSE_CACHE_MAX_ENTRIES: nonNegative(1000, "number of answers"),
  })
  .transform((env) => ({
    limits: {
      /** Videos one GraphQL operation may ask for, `video` and `videos` fields together. */
      maxBatch: env.DOWNTUBE_MAX_BATCH,
      maxBodyBytes: env.DOWNTUBE_MAX_BODY_BYTES,
    },
    graphql: {
      /** Schema introspection (GraphiQL's docs need it); on unless NODE_ENV=production. */
      introspection:
        env.DOWNTUBE_GRAPHQL_INTROSPECTION === undefined
          ? env.NODE_ENV !== "production"
          : env.DOWNTUBE_GRAPHQL_INTROSPECTION === "true",
      maxDepth: env.DOWNTUBE_GRAPHQL_MAX_DEPTH,
      maxAliases: env.DOWNTUBE_GRAPHQL_MAX_ALIASES,
      maxCost: env.DOWNTUBE_GRAPHQL_MAX_COST,
      /** Query answers held in this process's response cache; 0 turns the cache off. */
      responseCacheMaxEntries: env.DOWNTUBE_RESPONSE_CACHE_MAX_ENTRIES,
    },
  }));
