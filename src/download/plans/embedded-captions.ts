import type { FfmpegJob } from "../../core/ffmpeg-job.ts";
import type { EmbeddedCaption } from "../../tokens/download-claims.ts";
import { readCaptionText, textStream } from "../caption-text.ts";
import { type CaptionInput, withCaptionStreams } from "../jobs/caption-streams.ts";
import type { PlanContext } from "./plan-context.ts";

/**
 * The caption tracks a video download embeds, as job inputs: each read and written as WebVTT
 * (`readCaptionText`) when ffmpeg's inputs are opened, so a HEAD reads none.
 */
function captionInputs(context: PlanContext, embedded: readonly EmbeddedCaption[]): CaptionInput[] {
  const deps = { videos: context.deps.videos, maxCaptionBytes: context.deps.maxCaptionBytes };
  return embedded.map(({ languageCode, kind }) => ({
    languageCode,
    input: {
      open: async (signal) => {
        const text = await readCaptionText(
          deps,
          context.ref,
          { languageCode, kind },
          { format: "vtt", signal },
        );
        return textStream(new TextEncoder().encode(text));
      },
    },
  }));
}

/** `job` with the token's embedded captions added (unchanged when it names none). */
export function embedCaptions(
  context: PlanContext,
  job: FfmpegJob,
  embedded: readonly EmbeddedCaption[] | undefined,
): FfmpegJob {
  return embedded === undefined ? job : withCaptionStreams(job, captionInputs(context, embedded));
}
