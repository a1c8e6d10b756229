import type { GraphQLSchema } from "graphql";
import { createBuilder } from "./builder.ts";
import type { SchemaOptions } from "./context.ts";
import { defineFormatTypes } from "./format.ts";
import { defineVideoTypes } from "./video.ts";

/** The whole GraphQL schema, built anew for the given options (nothing is built at import time). */
export function createSchema(options: SchemaOptions): GraphQLSchema {
  const builder = createBuilder();
  const formats = defineFormatTypes(builder);
  defineVideoTypes(builder, formats, options);
  return builder.toSchema({ sortSchema: false });
}
