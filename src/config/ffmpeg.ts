import { availableParallelism } from "node:os";
import { z } from "zod";
import { emptyAsUndefined, positive } from "./schema-parts.ts";

/** ffmpeg, which makes every download made on the fly (merges, audio, clips, embedded captions). */
export const ffmpegSettings = z
  .object({
    DOWNTUBE_FFMPEG: z.preprocess(emptyAsUndefined, z.string().default("ffmpeg")),
    // Each job is an ffmpeg process: a copy is cheap, a conversion takes a core for a while.
    DOWNTUBE_MAX_FFMPEG_JOBS: positive(2 * availableParallelism()).optional(),
    /** The old name of DOWNTUBE_MAX_FFMPEG_JOBS, still read when the new one is unset. */
    DOWNTUBE_MAX_MERGES: positive(2 * availableParallelism()),
  })
  .transform((env) => ({
    /** ffmpeg to run: a path, or a name looked up on PATH. */
    command: env.DOWNTUBE_FFMPEG,
    /** ffmpeg processes running at once in this instance. */
    maxJobs: env.DOWNTUBE_MAX_FFMPEG_JOBS ?? env.DOWNTUBE_MAX_MERGES,
  }));
