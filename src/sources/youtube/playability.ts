import {
  AgeRestrictedError,
  type DowntubeError,
  VideoNotFoundError,
  VideoPrivateError,
  VideoUnavailableError,
  YouTubeChallengeError,
} from "../../core/errors.ts";

/**
 * YouTube's reason text (`playabilityStatus.reason`) is the only signal every extractor keeps
 * about why a video cannot be played, so it is matched here, in one place, for all of them.
 */
type Cause = { cause: unknown };
const REASONS: readonly [RegExp, (reason: string, cause: Cause) => DowntubeError][] = [
  // Asked of the gateway's address, not of the video: not a verdict, another extractor may pass.
  [
    /not a bot/i,
    (r, c) => new YouTubeChallengeError(`YouTube asked for a sign-in: ${r}`, { ...c, kind: "bot_check" }),
  ],
  [
    /\bpo.?token\b|proof of origin/i,
    (r, c) =>
      new YouTubeChallengeError(`YouTube asked for a PO token: ${r}`, { ...c, kind: "po_token_required" }),
  ],
  [/private video|video is private/i, (r, c) => new VideoPrivateError(r, c)],
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

/**
 * The `DowntubeError` for a video YouTube refuses to play, from its reason text; a reason no
 * pattern knows is `VideoUnavailableError`. `cause` is kept as the error's cause.
 */
export function verdictOf(reason: string, cause: unknown): DowntubeError {
  const match = REASONS.find(([pattern]) => pattern.test(reason));
  if (match !== undefined) return match[1](reason, { cause });
  return new VideoUnavailableError(reason || "this video cannot be played", { cause });
}
