import { z } from "zod";
import { positive } from "./schema-parts.ts";

/** Caption files: what the gateway reads of a track and writes of a file. */
export const captionSettings = z
  .object({
    DOWNTUBE_MAX_CAPTION_BYTES: positive(5 * 1024 * 1024, "number of bytes"),
  })
  .transform((env) => ({
    /** The most a caption track may weigh as the source sends it, and as the file written, in bytes. */
    maxBytes: env.DOWNTUBE_MAX_CAPTION_BYTES,
  }));
