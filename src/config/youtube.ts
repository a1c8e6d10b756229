import { z } from "zod";
import { EXTRACTOR_NAMES, type ExtractorName } from "../core/extractor-names.ts";
import { DEFAULT_EGRESS_ID } from "../core/video-service.ts";
import { emptyAsUndefined, optionalHttpUrl, positive, splitList } from "./schema-parts.ts";

const EXTRACTORS_EXPECTED = `expected ${EXTRACTOR_NAMES.join(" and/or ")}, comma-separated, in fallback order`;

/** A comma list of extractor names, in fallback order: unknown or repeated names are refused. */
const extractorList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .default("ytdl,youtubei")
    .transform(splitList)
    .pipe(
      z
        .array(
          z.enum(EXTRACTOR_NAMES, {
            error: (issue) => `unknown extractor ${JSON.stringify(issue.input)}: ${EXTRACTORS_EXPECTED}`,
          }),
        )
        .min(1, EXTRACTORS_EXPECTED)
        .refine(
          (names) => new Set(names).size === names.length,
          `names an extractor twice: ${EXTRACTORS_EXPECTED}`,
        ),
    ),
);

/** How the gateway reaches YouTube and media origins. */
export const youtubeSettings = z
  .object({
    DOWNTUBE_YOUTUBE_ORIGIN: optionalHttpUrl,
    DOWNTUBE_YOUTUBE_EXTRACTORS: extractorList,
    DOWNTUBE_UPSTREAM_TIMEOUT_MS: positive(15_000, "number of milliseconds"),
    DOWNTUBE_UPSTREAM_CHUNK_BYTES: positive(4 * 1024 * 1024, "number of bytes"),
    DOWNTUBE_EGRESS_ID: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, "expected 1 to 64 letters, digits, dots, dashes or underscores")
        .default(DEFAULT_EGRESS_ID),
    ),
  })
  .transform((env) => ({
    youtube: {
      /** Where every YouTube request goes instead of the real hosts (tests, offline demo). */
      origin: env.DOWNTUBE_YOUTUBE_ORIGIN,
      /** Extractors to try, in order: the next one runs only when the one before failed. */
      extractors: env.DOWNTUBE_YOUTUBE_EXTRACTORS as readonly ExtractorName[],
      /** Budget of one extraction, and of each media request until its headers arrive. */
      timeoutMs: env.DOWNTUBE_UPSTREAM_TIMEOUT_MS,
      /** Size of each range asked of the origin (a download holds at most parallelRanges of them). */
      chunkBytes: env.DOWNTUBE_UPSTREAM_CHUNK_BYTES,
    },
    /** Names the address origin requests leave from: instances with the same id share media URLs. */
    egressId: env.DOWNTUBE_EGRESS_ID,
  }));
