import type { GraphQLSchema } from "graphql";
import { defineArchiveTypes } from "./archive.ts";
import { defineBatchDownload } from "./batch-download.ts";
import { createBuilder } from "./builder.ts";
import { defineCaptionTypes } from "./captions.ts";
import type { SchemaOptions } from "./context.ts";
import { defineDownloadTypes } from "./download.ts";
import { defineFormatTypes } from "./format.ts";
import { definePlaylistTypes } from "./playlist.ts";
import { defineVideoTypes } from "./video.ts";

/** The whole GraphQL schema, built anew for the given options (nothing is built at import time). */
export function createSchema(options: SchemaOptions): GraphQLSchema {
  const builder = createBuilder();
  const formats = defineFormatTypes(builder);
  const videos = defineVideoTypes(builder, formats, options);
  const captions = defineCaptionTypes(builder, videos.Video);
  const downloads = defineDownloadTypes(builder, formats, videos.Video, captions);
  defineBatchDownload(builder, downloads, options);
  defineArchiveTypes(builder, formats, downloads);
  definePlaylistTypes(builder, videos);
  return builder.toSchema({ sortSchema: false });
}
