import { z } from "zod";
import type { MediaFormat } from "../core/video.ts";
import type { Builder } from "./builder.ts";

/** The `Format` object, the `FormatSelector` input and their enums. */
export function defineFormatTypes(builder: Builder) {
  const Quality = builder.enumType("Quality", {
    description: "Which end of the matching formats to pick.",
    values: ["HIGHEST", "LOWEST"] as const,
  });
  const FormatKind = builder.enumType("FormatKind", {
    description:
      "Audio and video together, video alone or audio alone. MERGED: the best video-only format with " +
      "the best audio-only one, remuxed into one file as it streams (container mp4, the default: " +
      "H.264 or AV1 + AAC; webm: VP9 or AV1 + Opus). A merge has no size in advance and no Range. " +
      "In formats(filter:), MERGED lists the pair a merged download would deliver: video, then audio.",
    values: ["MUXED", "VIDEO_ONLY", "AUDIO_ONLY", "MERGED"] as const,
  });

  const FormatSelectorInput = builder.inputType("FormatSelector", {
    description: "Narrows the formats of a video; every given field must match.",
    fields: (t) => ({
      itag: t.int({ required: false, validate: z.number().int().positive() }),
      quality: t.field({ type: Quality, required: false }),
      kind: t.field({ type: FormatKind, required: false }),
      container: t.string({
        required: false,
        description: "mp4, webm, …",
        validate: z.string().regex(/^[a-z0-9]{1,10}$/i, "a container is a short name like mp4 or webm"),
      }),
      maxHeight: t.int({
        required: false,
        description: "Leave out video taller than this many pixels.",
        validate: z.number().int().positive(),
      }),
    }),
  });

  const Format = builder.objectRef<MediaFormat>("Format").implement({
    description: "One way the video is offered: a container, codecs and a quality.",
    fields: (t) => ({
      itag: t.exposeInt("itag", {
        description: "The source's format id (YouTube's itag; 1 for a direct URL).",
      }),
      mimeType: t.exposeString("mimeType", { description: "With codecs." }),
      container: t.string({ nullable: true, resolve: (f) => f.container }),
      qualityLabel: t.string({ nullable: true, resolve: (f) => f.qualityLabel }),
      width: t.int({ nullable: true, resolve: (f) => f.width }),
      height: t.int({ nullable: true, resolve: (f) => f.height }),
      fps: t.int({ nullable: true, resolve: (f) => f.fps }),
      bitrate: t.int({ nullable: true, description: "Bits per second.", resolve: (f) => f.bitrate }),
      audioBitrate: t.int({
        nullable: true,
        description: "Kilobits per second of the audio.",
        resolve: (f) => f.audioBitrate,
      }),
      contentLength: t.float({
        nullable: true,
        description: "Exact size in bytes when known (a Float: sizes pass 2^31).",
        resolve: (f) => f.contentLength,
      }),
      acceptsRanges: t.boolean({
        description:
          "Whether downloads of this format can be ranged and resumed (206); false for an origin without Range.",
        resolve: (f) => f.acceptsRanges !== false,
      }),
      hasVideo: t.exposeBoolean("hasVideo"),
      hasAudio: t.exposeBoolean("hasAudio"),
      videoCodec: t.string({ nullable: true, resolve: (f) => f.videoCodec }),
      audioCodec: t.string({ nullable: true, resolve: (f) => f.audioCodec }),
    }),
  });

  return { Format, FormatSelectorInput, Quality, FormatKind };
}

export type FormatTypes = ReturnType<typeof defineFormatTypes>;
