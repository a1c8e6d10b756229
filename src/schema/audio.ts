import { z } from "zod";
import { AUDIO_KBPS, type AudioRequest } from "../core/audio-output.ts";
import type { Builder } from "./builder.ts";

/** The `AudioOutput` input of `prepareDownload` and its `AudioFormat` enum. */
export function defineAudioTypes(builder: Builder) {
  const AudioFormat = builder.enumType("AudioFormat", {
    description:
      "The audio file to make. MP3 (libmp3lame), FLAC and WAV are converted; OPUS (an Ogg file) and " +
      "M4A are copied as they are when the source's codec is Opus or AAC, else converted; ORIGINAL " +
      "copies the source's audio into its codec's own file (AAC: .m4a, Opus: .opus), never re-encoded.",
    values: ["MP3", "OPUS", "M4A", "FLAC", "WAV", "ORIGINAL"] as const,
  });

  const AudioOutput = builder.inputType("AudioOutput", {
    description:
      "The download is an audio file, made as it streams (no Range, no Content-Length) from the " +
      "best audio-only format, or the one `format` picks.",
    fields: (t) => ({
      format: t.field({ type: AudioFormat, required: true }),
      bitrateKbps: t.int({
        required: false,
        description:
          `kbit/s of a lossy encode (${AUDIO_KBPS.min}-${AUDIO_KBPS.max}; MP3 default 192, OPUS 128, M4A 160). ` +
          "Asking for one makes OPUS and M4A an encode; refused for FLAC, WAV and ORIGINAL.",
        validate: z.number().int().min(AUDIO_KBPS.min).max(AUDIO_KBPS.max),
      }),
      metadata: t.boolean({
        required: false,
        defaultValue: true,
        description:
          "Title, artist (the channel), date, a comment with the video's URL; the cover in MP3 and FLAC.",
      }),
    }),
  });

  return { AudioOutput };
}

/** An `AudioOutput` input as the ticket service takes it. */
export function audioRequestOf(input: {
  format: AudioRequest["format"];
  bitrateKbps?: number | null | undefined;
  metadata?: boolean | null | undefined;
}): AudioRequest {
  return {
    format: input.format,
    bitrateKbps: input.bitrateKbps ?? undefined,
    metadata: input.metadata ?? true,
  };
}
