import { z } from "zod";
import { positive } from "./schema-parts.ts";

/** Archives (`prepareArchive`): how many videos one ZIP may hold. */
export const archiveSettings = z.object({ DOWNTUBE_MAX_ARCHIVE_ITEMS: positive(200) }).transform((env) => ({
  /** The most videos one archive may hold (`maxItems` is refused above it). */
  maxItems: env.DOWNTUBE_MAX_ARCHIVE_ITEMS,
}));
