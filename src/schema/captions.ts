import { z } from "zod";
import { MAX_EMBEDDED_CAPTIONS } from "../core/caption-selection.ts";
import type { CaptionTrack, Language } from "../core/video.ts";
import type { Builder } from "./builder.ts";
import type { VideoTypes } from "./video.ts";

/** A language code as YouTube writes them (`en`, `pt-BR`, `zh-Hans`). */
const languageCode = z.string().regex(/^[A-Za-z0-9-]{1,35}$/, "a language code is like en, pt-BR or zh-Hans");

/** `CaptionTrack`, `Language`, their enums and `Video.captions`; returns the inputs downloads take. */
export function defineCaptionTypes(builder: Builder, Video: VideoTypes["Video"]) {
  const CaptionKind = builder.enumType("CaptionKind", {
    description: "MANUAL: written by a person. AUTO: made by speech recognition.",
    values: ["MANUAL", "AUTO"] as const,
  });
  const CaptionFormat = builder.enumType("CaptionFormat", {
    description: "VTT: WebVTT (text/vtt), what browsers' <track> plays. SRT: SubRip (application/x-subrip).",
    values: ["VTT", "SRT"] as const,
  });

  const CaptionTrackRef = builder.objectRef<CaptionTrack>("CaptionTrack").implement({
    description: "One caption track of a video, in one language.",
    fields: (t) => ({
      languageCode: t.exposeString("languageCode"),
      name: t.exposeString("name"),
      kind: t.field({ type: CaptionKind, resolve: (c) => (c.kind === "auto" ? "AUTO" : "MANUAL") }),
      translatable: t.exposeBoolean("translatable", {
        description: "Whether captions.translateTo can translate it.",
      }),
    }),
  });

  const LanguageRef = builder.objectRef<Language>("Language").implement({
    fields: (t) => ({ code: t.exposeString("code"), name: t.exposeString("name") }),
  });

  builder.objectFields(Video, (t) => ({
    captions: t.field({
      type: [CaptionTrackRef],
      description: "Caption tracks, manual and automatic; empty when the video has none.",
      resolve: (v) => v.captions,
    }),
    captionTranslationLanguages: t.field({
      type: [LanguageRef],
      description: "Languages a translatable track can be translated into (captions.translateTo).",
      resolve: (v) => v.captionTranslationLanguages,
    }),
  }));

  const CaptionsInput = builder.inputType("CaptionsInput", {
    description: "A caption track as a file, written by the gateway.",
    fields: (t) => ({
      languageCode: t.string({ required: true, validate: languageCode }),
      kind: t.field({
        type: CaptionKind,
        required: false,
        description: "Default: the manual track when there is one, else the automatic one.",
      }),
      format: t.field({ type: CaptionFormat, required: false, defaultValue: "VTT" }),
      translateTo: t.string({
        required: false,
        description: "A code of Video.captionTranslationLanguages: the track translated by the source.",
        validate: languageCode,
      }),
    }),
  });

  const embedCaptions = z
    .array(languageCode)
    .min(1, "embedCaptions: name at least one language, or leave it out")
    .max(MAX_EMBEDDED_CAPTIONS, `embedCaptions: at most ${MAX_EMBEDDED_CAPTIONS} languages`);

  return { CaptionsInput, embedCaptions };
}

export type CaptionInputs = ReturnType<typeof defineCaptionTypes>;
