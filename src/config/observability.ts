import { z } from "zod";
import { emptyAsUndefined } from "./schema-parts.ts";

/** What the gateway tells about itself: who may read `/metrics`. */
export const observabilitySettings = z
  .object({
    DOWNTUBE_METRICS_TOKEN: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .min(16, "expected a token of at least 16 characters")
        .regex(/^[\x21-\x7e]+$/, "expected a token of printable characters without spaces")
        .optional(),
    ),
  })
  .transform((env) => ({
    /** When set, `/metrics` answers only `Authorization: Bearer <token>`; unset: open (the default). */
    metricsToken: env.DOWNTUBE_METRICS_TOKEN,
  }));
