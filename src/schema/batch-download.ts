import { z } from "zod";
import type { Builder } from "./builder.ts";
import type { SchemaOptions } from "./context.ts";
import { type DownloadTypes, drawForDownloads, prepareTicket } from "./download.ts";

/**
 * `prepareDownloads`: several `prepareDownload`s in one operation (a list's playable entries,
 * say), at most `DOWNTUBE_MAX_BATCH`. Like `videos(urls:)`, an input that fails gives null at
 * its index and an error whose path names that index; the others still get their ticket.
 */
export function defineBatchDownload(builder: Builder, types: DownloadTypes, options: SchemaOptions) {
  builder.mutationField("prepareDownloads", (t) =>
    t.field({
      type: [types.Ticket],
      nullable: { list: false, items: true },
      description:
        "Several downloads at once (at most DOWNTUBE_MAX_BATCH), each as prepareDownload would mint it; one that fails gives null and an error at its index, the others still answer.",
      args: {
        inputs: t.arg({
          type: [types.PrepareDownloadInput],
          required: true,
          validate: z
            .array(z.unknown())
            .max(options.maxBatch, `at most ${options.maxBatch} inputs per batch`),
        }),
      },
      resolve: async (_root, { inputs }, context) => {
        await drawForDownloads(context, inputs.length);
        return inputs.map((input) => prepareTicket(input, context));
      },
    }),
  );
}
