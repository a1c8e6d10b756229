import { DowntubeError, UpstreamError, VideoNotFoundError } from "../../core/errors.ts";
import { verdictOf } from "./playability.ts";

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return undefined;
  return typeof error.statusCode === "number" ? error.statusCode : undefined;
}

/**
 * Turns whatever ytdl-core threw into a `DowntubeError`; the original is kept as `cause`.
 * ytdl-core reports a video that cannot be played as an `UnrecoverableError` carrying YouTube's
 * own reason text (from `playabilityStatus`), and HTTP failures as errors with `statusCode`.
 */
export function fromYtdlError(error: unknown): DowntubeError {
  if (error instanceof DowntubeError) return error;
  const status = statusOf(error);
  if (status === 404) return new VideoNotFoundError("YouTube has no video with this id", { cause: error });
  if (status !== undefined) {
    return new UpstreamError(`YouTube answered with HTTP ${status}`, { cause: error });
  }
  const reason = error instanceof Error ? error.message : "";
  // ytdl-core does not export the class, nor set `name`: its constructor is the only mark.
  if (error instanceof Error && error.constructor.name === "UnrecoverableError") {
    return verdictOf(reason, error);
  }
  if (/playable formats/i.test(reason)) {
    return new UpstreamError("YouTube offered no playable format for this video", { cause: error });
  }
  return new UpstreamError("could not read this video from YouTube", { cause: error });
}
