import { z } from "zod";
import { emptyAsUndefined, positive } from "./schema-parts.ts";

/** The metadata cache and the optional shared store (Redis). */
export const storeSettings = z
  .object({
    DOWNTUBE_CACHE_TTL: positive(600, "number of seconds"),
    DOWNTUBE_CACHE_MAX_ENTRIES: positive(1000),
    REDIS_URL: z.preprocess(
      emptyAsUndefined,
      z.url({ protocol: /^rediss?$/, error: "expected a redis:// or rediss:// URL" }).optional(),
    ),
    DOWNTUBE_REDIS_TIMEOUT_MS: positive(500, "number of milliseconds"),
    DOWNTUBE_REDIS_PROBE_MS: positive(1000, "number of milliseconds"),
  })
  .transform((env) => ({
    cache: { ttlSeconds: env.DOWNTUBE_CACHE_TTL, maxEntries: env.DOWNTUBE_CACHE_MAX_ENTRIES },
    redisUrl: env.REDIS_URL,
    redis: {
      /** Longest one Redis command may take before Redis counts as down, in milliseconds. */
      timeoutMs: env.DOWNTUBE_REDIS_TIMEOUT_MS,
      /** How often a Redis that is down is asked again, in milliseconds. */
      probeMs: env.DOWNTUBE_REDIS_PROBE_MS,
    },
  }));
