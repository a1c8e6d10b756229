import type { GraphQLSchema } from "graphql";
import { createBuilder } from "./builder.ts";
import { defineCaptionTypes } from "./captions.ts";
import type { SchemaOptions } from "./context.ts";
import { defineDownloadTypes } from "./download.ts";
import { defineFormatTypes } from "./format.ts";
import { defineVideoTypes } from "./video.ts";

/** The whole GraphQL schema, built anew for the given options (nothing is built at import time). */
export function createSchema(options: SchemaOptions): GraphQLSchema {
  const builder = createBuilder();
  const formats = defineFormatTypes(builder);
  const { Video } = defineVideoTypes(builder, formats, options);
  const captions = defineCaptionTypes(builder, Video);
  defineDownloadTypes(builder, formats, Video, captions);
  return builder.toSchema({ sortSchema: false });
}
