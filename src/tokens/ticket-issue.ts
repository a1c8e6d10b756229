import { BadUserInputError } from "../core/errors.ts";
import type { TimeRange } from "../core/ffmpeg-job.ts";
import type { MediaFormat, VideoInfo } from "../core/video.ts";
import type { DownloadClaims } from "./download-claims.ts";
import { MAX_TOKEN_LENGTH, type TokenService } from "./token-service.ts";

/** A redeemable download: the token, where to redeem it and what it will deliver. */
export interface DownloadTicket {
  readonly token: string;
  /** Absolute `/download/:token` URL. */
  readonly url: string;
  readonly expiresAt: Date;
  readonly filename: string;
  readonly mimeType: string;
  /** Exact size when known; never for a merge, whose size is only known once it is made. */
  readonly contentLength: number | undefined;
  /** A file: its size when known. A merge: the sizes of its two inputs together, when both are known. */
  readonly estimatedContentLength: number | undefined;
  /** The format delivered; for a merge, its video side; undefined for a caption file. */
  readonly format: MediaFormat | undefined;
  /** The audio side of a merge; undefined for a file. */
  readonly audioFormat: MediaFormat | undefined;
  /** The time range asked for, when the download is a clip. */
  readonly clip?: TimeRange | undefined;
  readonly video: VideoInfo;
}

/** How tickets are signed: the token service and the lifetimes, in seconds. */
export interface TicketSigning {
  readonly tokens: TokenService;
  /** Token lifetime when the client names none, and the most it may ask for. */
  readonly ttlSeconds: number;
  readonly maxTtlSeconds: number;
}

/**
 * `base` + `download/:token`. A base without a trailing slash (`PUBLIC_URL=https://host/dl`) is
 * still a directory: URL resolution alone would replace its last segment and drop `dl`.
 */
function downloadUrl(base: URL, token: string): string {
  const directory = base.pathname.endsWith("/") ? base : new URL(`${base.pathname}/`, base);
  return new URL(`download/${token}`, directory).href;
}

/** What a ticket says it delivers, beside its token. */
export type TicketContents = Omit<DownloadTicket, "token" | "url" | "expiresAt">;

/**
 * Signs `claims` for the lifetime asked (clamped to the maximum) and hands out the ticket that
 * redeems them. Throws `BadUserInputError` when the token would not fit the download route.
 */
export async function issueTicket(
  deps: TicketSigning,
  claims: DownloadClaims,
  expiresIn: number | undefined,
  base: URL,
  contents: TicketContents,
): Promise<DownloadTicket> {
  const ttl = Math.min(expiresIn ?? deps.ttlSeconds, deps.maxTtlSeconds);
  const signed = await deps.tokens.sign(claims, ttl);
  if (signed.token.length > MAX_TOKEN_LENGTH)
    throw new BadUserInputError("this download names too much to fit in one link: ask for fewer items");
  return {
    token: signed.token,
    url: downloadUrl(base, signed.token),
    expiresAt: signed.expiresAt,
    ...contents,
  };
}
