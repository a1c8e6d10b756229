import { z } from "zod";
import { UnauthenticatedError } from "../core/errors.ts";
import type { DownloadTicket } from "../tokens/ticket-issue.ts";
import { audioRequestOf, defineAudioTypes } from "./audio.ts";
import type { Builder } from "./builder.ts";
import type { CaptionInputs } from "./captions.ts";
import type { GraphQLContext } from "./context.ts";
import type { FormatTypes } from "./format.ts";
import { type VideoTypes, videoUrlArgument } from "./video.ts";

const captionKindOf = (kind: "MANUAL" | "AUTO" | null | undefined) =>
  kind === "AUTO" ? "auto" : kind === "MANUAL" ? "manual" : undefined;

/** What `PrepareDownloadInput` holds once graphql-js has read it. */
export type PrepareDownloadArgs = DownloadTypes["PrepareDownloadInput"]["$inferInput"];

/**
 * What minting `count` downloads costs before any work: an API key when `DOWNTUBE_API_KEYS` is
 * set, `count` from the operation's budget and from the client's `prepare` rate limit (a batch
 * draws for all its inputs at once). Throws `UnauthenticatedError`, `BadUserInputError`,
 * `RateLimitedError`.
 */
export async function drawForDownloads(context: GraphQLContext, count: number): Promise<void> {
  const { apiKeyRequired, client, budget, limiter } = context;
  if (apiKeyRequired && client.apiKeyId === undefined)
    throw new UnauthenticatedError("preparing downloads needs an API key: Authorization: Bearer <key>");
  budget.take(count);
  await limiter.take("prepare", client.id, count);
}

/** Mints one ticket for `input`. Throws what `DownloadTickets.prepare` throws. */
export function prepareTicket(input: PrepareDownloadArgs, { tickets, downloadBase, client }: GraphQLContext) {
  return tickets.prepare(
    {
      url: input.url,
      format: input.format ?? undefined,
      disposition: input.disposition === "INLINE" ? "inline" : "attachment",
      filename: input.filename ?? undefined,
      expiresIn: input.expiresIn ?? undefined,
      maxUses: input.maxUses ?? undefined,
      apiKeyId: client.apiKeyId,
      audio: input.audio == null ? undefined : audioRequestOf(input.audio),
      clip: input.clip ?? undefined,
      captions: input.captions
        ? {
            languageCode: input.captions.languageCode,
            kind: captionKindOf(input.captions.kind),
            format: input.captions.format === "SRT" ? "srt" : "vtt",
            translateTo: input.captions.translateTo ?? undefined,
          }
        : undefined,
      embedCaptions: input.embedCaptions ?? undefined,
    },
    downloadBase,
  );
}

/** `prepareDownload` and the types around it. */
export function defineDownloadTypes(
  builder: Builder,
  formats: FormatTypes,
  Video: VideoTypes["Video"],
  captions: CaptionInputs,
) {
  const Disposition = builder.enumType("Disposition", {
    description: "ATTACHMENT: browsers save the file. INLINE: they play it.",
    values: ["ATTACHMENT", "INLINE"] as const,
  });

  const ClipInput = builder.inputType("ClipInput", {
    description:
      "A time range of the video, in seconds: 0 <= startSeconds < endSeconds <= the video's length. " +
      "Video is copied, never re-encoded, so the clip starts at the last keyframe at or before startSeconds.",
    fields: (t) => ({
      startSeconds: t.float({ required: true }),
      endSeconds: t.float({ required: true }),
    }),
  });

  const Clip = builder.objectRef<{ startSeconds: number; endSeconds: number }>("Clip").implement({
    description: "The time range a clip was asked for, in seconds.",
    fields: (t) => ({
      startSeconds: t.exposeFloat("startSeconds"),
      endSeconds: t.exposeFloat("endSeconds"),
    }),
  });
  const audio = defineAudioTypes(builder);

  const PrepareDownloadInput = builder.inputType("PrepareDownloadInput", {
    fields: (t) => ({
      url: t.string({ required: true, validate: videoUrlArgument }),
      format: t.field({
        type: formats.FormatSelectorInput,
        required: false,
        description: "Default: the best muxed (audio+video) mp4.",
      }),
      disposition: t.field({ type: Disposition, required: false, defaultValue: "ATTACHMENT" }),
      filename: t.string({
        required: false,
        description:
          "Overrides the title as the file name; sanitised, and the extension follows the container.",
        validate: z.string().max(1000),
      }),
      expiresIn: t.int({
        required: false,
        description: "Seconds the token lives (at least 1); clamped to DOWNTUBE_TOKEN_MAX_TTL.",
        validate: z.number().int().min(1, "expiresIn must be at least 1 second"),
      }),
      maxUses: t.int({
        required: false,
        description: "How many times the URL may be redeemed (each GET counts, ranged ones too).",
        validate: z.number().int().min(1).max(1_000_000),
      }),
      clip: t.field({
        type: ClipInput,
        required: false,
        description:
          "Only this time range: made by ffmpeg while it streams (no Range, no Content-Length), " +
          "reading only the parts of the format it needs.",
      }),
      audio: t.field({
        type: audio.AudioOutput,
        required: false,
        description: "The download is an audio file of this format; `format` then picks its source format.",
      }),
      captions: t.field({
        type: captions.CaptionsInput,
        required: false,
        description: "The download is this caption track as a file (VTT or SRT), not a format.",
      }),
      embedCaptions: t.stringList({
        required: false,
        description:
          "Language codes of caption tracks added to a video download as subtitle streams (mov_text in MP4, WebVTT in WebM; at most 8).",
        validate: captions.embedCaptions,
      }),
    }),
  });

  const Ticket = builder.objectRef<DownloadTicket>("DownloadTicket").implement({
    description: "A signed, expiring download URL and what it will deliver.",
    fields: (t) => ({
      token: t.exposeString("token"),
      url: t.exposeString("url", {
        description: "GET it (or HEAD) to stream the file; Range works, except for a merge.",
      }),
      expiresAt: t.string({ description: "ISO 8601.", resolve: (d) => d.expiresAt.toISOString() }),
      filename: t.exposeString("filename"),
      mimeType: t.exposeString("mimeType"),
      contentLength: t.float({
        nullable: true,
        description: "Exact size in bytes; null for a merge (its size is known only once it is made).",
        resolve: (d) => d.contentLength,
      }),
      estimatedContentLength: t.float({
        nullable: true,
        description: "About how many bytes will come: the exact size of a file, the inputs' sum for a merge.",
        resolve: (d) => d.estimatedContentLength,
      }),
      format: t.field({
        type: formats.Format,
        nullable: true,
        description:
          "The format delivered; for a merge, its video side; for an audio file, its source; null for a caption file.",
        resolve: (d) => d.format,
      }),
      audioFormat: t.field({
        type: formats.Format,
        nullable: true,
        description: "The audio side of a merge; null otherwise.",
        resolve: (d) => d.audioFormat,
      }),
      clip: t.field({
        type: Clip,
        nullable: true,
        description: "The time range asked for, when the download is a clip; null otherwise.",
        resolve: (d) => d.clip,
      }),
      video: t.field({ type: Video, resolve: (d) => d.video }),
    }),
  });

  builder.mutationType({
    fields: (t) => ({
      prepareDownload: t.field({
        type: Ticket,
        description: "Resolves one concrete format and returns a signed URL that streams it.",
        args: { input: t.arg({ type: PrepareDownloadInput, required: true }) },
        resolve: async (_root, { input }, context) => {
          await drawForDownloads(context, 1);
          return prepareTicket(input, context);
        },
      }),
    }),
  });

  return { PrepareDownloadInput, Ticket, AudioOutput: audio.AudioOutput };
}

export type DownloadTypes = ReturnType<typeof defineDownloadTypes>;
