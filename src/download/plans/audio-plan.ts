import { AUDIO_FILES } from "../../core/audio-output.ts";
import {
  type AudioTags,
  audioTagsOf,
  type CoverImage,
  coverCandidates,
  coverImageType,
} from "../../core/audio-tags.ts";
import { FfmpegUnavailableError } from "../../core/errors.ts";
import type { FfmpegJob } from "../../core/ffmpeg-job.ts";
import { describeError } from "../../core/logger.ts";
import type { VideoInfo } from "../../core/video.ts";
import type { AudioDelivery } from "../../tokens/download-claims.ts";
import type { FfmpegStream, HeadersOnly } from "../download-plan.ts";
import { audioJob } from "../jobs/audio-job.ts";
import { clipOf } from "../jobs/clip-job.ts";
import { clippedInput } from "./clipped-input.ts";
import { copySizeOf, ffmpegPlan, type PlanContext, wholeInput } from "./plan-context.ts";

/**
 * How long a download waits for its cover, in milliseconds, every thumbnail tried included: the
 * cover is worth a moment, not the source's whole timeout three times over.
 */
const COVER_BUDGET_MS = 5000;

/**
 * The cover of a video: its best thumbnail that is a JPEG or PNG, fetched through the source.
 * A cover is a nicety: when no thumbnail can be had in time, the file goes without one (logged).
 */
async function coverOf(context: PlanContext, video: VideoInfo): Promise<CoverImage | undefined> {
  const source = context.deps.videos.sourceOf(context.ref);
  if (source.thumbnail === undefined) return undefined;
  const signal = AbortSignal.any([context.request.signal, AbortSignal.timeout(COVER_BUDGET_MS)]);
  for (const thumbnail of coverCandidates(video.thumbnails)) {
    try {
      const image = await source.thumbnail(context.ref, thumbnail, signal);
      const mimeType = coverImageType(image.bytes);
      if (mimeType !== undefined) return { bytes: image.bytes, mimeType };
    } catch (error) {
      if (context.request.signal.aborted) throw error;
      context.deps.log.info("thumbnail not fetched for a cover", {
        video: context.ref.id,
        ...describeError(error),
      });
      if (signal.aborted) break;
    }
  }
  return undefined;
}

/**
 * Plans an audio file: the sound of one format, copied or encoded by ffmpeg into the file the
 * token names, with the video's tags and (MP3, FLAC) its cover. `maxUses` counts the source's
 * bytes, as a file's. HEAD answers before any thumbnail is fetched or ffmpeg started. Throws
 * `FfmpegUnavailableError` without ffmpeg, `TokenUsedError`, and the source's errors.
 */
export async function planAudio(
  context: PlanContext,
  delivery: AudioDelivery,
): Promise<FfmpegStream | HeadersOnly> {
  const bytes = await context.bytesOf(delivery.itag);
  const copySize = await copySizeOf(context, [bytes]);
  const { clip } = delivery;
  const source =
    clip === undefined ? wholeInput(context, bytes, copySize) : clippedInput(context, bytes, clip, copySize);
  const cut = (job: FfmpegJob) => (clip === undefined ? job : clipOf(job, clip));
  const spec = AUDIO_FILES[delivery.file];
  const bare = cut(audioJob(delivery, { source, tags: undefined, cover: undefined }));
  const plan = await ffmpegPlan(context, bare, {
    contentType: spec.mimeType,
    copySize,
    unavailable: () =>
      new FfmpegUnavailableError("audio files are made by ffmpeg, which this gateway does not have"),
  });
  if (plan.kind === "headers-only" || !delivery.metadata) return plan;
  const video = await context.deps.videos.getInfo(context.ref, { metadataOnly: true });
  const tags: AudioTags = audioTagsOf(video);
  const cover = spec.cover ? await coverOf(context, video) : undefined;
  return { ...plan, job: cut(audioJob(delivery, { source, tags, cover })) };
}
