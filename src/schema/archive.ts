import { z } from "zod";
import { UnauthenticatedError } from "../core/errors.ts";
import { audioRequestOf } from "./audio.ts";
import type { Builder } from "./builder.ts";
import type { DownloadTypes } from "./download.ts";
import type { FormatTypes } from "./format.ts";
import { videoUrlArgument } from "./video.ts";

/** `prepareArchive`: one ZIP of a playlist or of several videos. */
export function defineArchiveTypes(
  builder: Builder,
  formats: FormatTypes,
  { Ticket, AudioOutput }: Pick<DownloadTypes, "Ticket" | "AudioOutput">,
) {
  const PrepareArchiveInput = builder.inputType("PrepareArchiveInput", {
    description: "Exactly one of playlistUrl and urls.",
    fields: (t) => ({
      playlistUrl: t.string({
        required: false,
        description: "A playlist or channel URL (or a bare list id): its first maxItems playable videos.",
        validate: videoUrlArgument,
      }),
      urls: t.stringList({
        required: false,
        description: "YouTube video URLs or ids, in archive order.",
        validate: z.array(videoUrlArgument),
      }),
      format: t.field({
        type: formats.FormatSelectorInput,
        required: false,
        description:
          "Applied to each video, as prepareDownload would. Default: the best muxed (audio+video) mp4.",
      }),
      audio: t.field({
        type: AudioOutput,
        required: false,
        description: "Each video as an audio file of this format; `format` then picks its source format.",
      }),
      maxItems: t.int({
        required: false,
        defaultValue: 50,
        description: "At most this many videos; clamped to DOWNTUBE_MAX_ARCHIVE_ITEMS.",
        validate: z.number().int().min(1, "maxItems must be at least 1"),
      }),
      filename: t.string({
        required: false,
        description: "The archive's name; sanitised, and it ends in .zip.",
        validate: z.string().max(1000),
      }),
      maxUses: t.int({
        required: false,
        description: "How many copies' worth of bytes the URL may serve, however they are ranged or resumed.",
        validate: z.number().int().min(1).max(1_000_000),
      }),
      expiresIn: t.int({
        required: false,
        description: "Seconds the token lives (at least 1); clamped to DOWNTUBE_TOKEN_MAX_TTL.",
        validate: z.number().int().min(1, "expiresIn must be at least 1 second"),
      }),
    }),
  });

  builder.mutationField("prepareArchive", (t) =>
    t.field({
      type: Ticket,
      description:
        "A signed URL that streams one stored ZIP of many videos, one after another (entries `NN - Title.ext`). " +
        "Items that cannot be downloaded are skipped and named in downtube-errors.txt. The ticket's video and " +
        "format describe the first item; its size is known when the archive is downloaded.",
      args: { input: t.arg({ type: PrepareArchiveInput, required: true }) },
      resolve: async (
        _root,
        { input },
        { tickets, downloadBase, budget, limiter, client, apiKeyRequired },
      ) => {
        if (apiKeyRequired && client.apiKeyId === undefined)
          throw new UnauthenticatedError("preparing downloads needs an API key: Authorization: Bearer <key>");
        budget.take(1);
        await limiter.take("prepare", client.id);
        return tickets.prepareArchive(
          {
            playlistUrl: input.playlistUrl ?? undefined,
            urls: input.urls ?? undefined,
            format: input.format ?? undefined,
            audio: input.audio == null ? undefined : audioRequestOf(input.audio),
            maxItems: input.maxItems ?? 50,
            filename: input.filename ?? undefined,
            disposition: "attachment",
            expiresIn: input.expiresIn ?? undefined,
            maxUses: input.maxUses ?? undefined,
            apiKeyId: client.apiKeyId,
          },
          downloadBase,
        );
      },
    }),
  );
}
