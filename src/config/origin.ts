import { z } from "zod";
import { positive } from "./schema-parts.ts";

/** Most ranges one download may read at once. */
export const MAX_PARALLEL_RANGES = 16;

/** How downloads read media origins: ranges in flight per download, connections per egress. */
export const originSettings = z
  .object({
    DOWNTUBE_ORIGIN_PARALLEL_RANGES: positive(4, "number of ranges").refine(
      (n) => n <= MAX_PARALLEL_RANGES,
      `expected at most ${MAX_PARALLEL_RANGES} ranges in flight`,
    ),
    DOWNTUBE_ORIGIN_MAX_CONNECTIONS: positive(64, "number of connections"),
  })
  .transform((env) => ({
    /**
     * Ranges of one download requested and not yet delivered (1: one request after another). Its
     * memory is bounded by this times `DOWNTUBE_UPSTREAM_CHUNK_BYTES`.
     */
    parallelRanges: env.DOWNTUBE_ORIGIN_PARALLEL_RANGES,
    /** Media requests open at once to origins per egress, all downloads together. */
    maxConnections: env.DOWNTUBE_ORIGIN_MAX_CONNECTIONS,
  }));
