import {
  AgeRestrictedError,
  DowntubeError,
  UpstreamError,
  VideoNotFoundError,
  VideoPrivateError,
  VideoUnavailableError,
} from "../../core/errors.ts";

/**
 * ytdl-core reports a video that cannot be played as an `UnrecoverableError` carrying YouTube's
 * own reason text (from `playabilityStatus`), and HTTP failures as errors with `statusCode`.
 * The reason text is the only signal it keeps, so it is matched here, in one place.
 */
type Cause = { cause: unknown };
const REASONS: readonly [RegExp, (reason: string, cause: Cause) => DowntubeError][] = [
  [/private video/i, (r, c) => new VideoPrivateError(r, c)],
  [/confirm your age|age-restricted|inappropriate for some users/i, (r, c) => new AgeRestrictedError(r, c)],
  [
    /not (made this video )?available in your country|blocked it in your country/i,
    (r, c) => new VideoUnavailableError(r, { ...c, status: 451 }),
  ],
  [/payment|purchase|rent|members[- ]only|join this channel/i, (r, c) => new VideoUnavailableError(r, c)],
  [/live stream|live event|premiere/i, (r, c) => new VideoUnavailableError(r, c)],
  // YouTube says "Video unavailable" (status ERROR) for ids that do not exist and videos removed.
  [
    /^video unavailable$|does not exist|no longer available|has been removed/i,
    (r, c) => new VideoNotFoundError(r, c),
  ],
];

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return undefined;
  return typeof error.statusCode === "number" ? error.statusCode : undefined;
}

/** Turns whatever ytdl-core threw into a `DowntubeError`; the original is kept as `cause`. */
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
    const match = REASONS.find(([pattern]) => pattern.test(reason));
    if (match !== undefined) return match[1](reason, { cause: error });
    return new VideoUnavailableError(reason || "this video cannot be played", { cause: error });
  }
  if (/playable formats/i.test(reason)) {
    return new UpstreamError("YouTube offered no playable format for this video", { cause: error });
  }
  return new UpstreamError("could not read this video from YouTube", { cause: error });
}
