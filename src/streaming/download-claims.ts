import { z } from "zod";
import type { SourceName } from "../core/video.ts";
import type { Disposition } from "./content-disposition.ts";

/**
 * What a download token promises: which format of which video to stream, and how to present it.
 * No upstream URL: googlevideo URLs expire and are bound to an IP, so the route re-resolves the
 * format by `itag` when the token is redeemed.
 */
export interface DownloadClaims {
  readonly source: SourceName;
  /** The source's video id (YouTube: the 11-character id). */
  readonly videoId: string;
  /** The source's format id. */
  readonly itag: number;
  readonly disposition: Disposition;
  /** Already sanitised, extension included (see `buildFilename`). */
  readonly filename: string;
  /** How many times the token may be redeemed; unlimited until expiry when absent. */
  readonly maxUses?: number | undefined;
  /** Id of the API key that minted the token, for per-key accounting; absent for anonymous use. */
  readonly apiKeyId?: string | undefined;
}

/** Claims of a token whose signature, expiry and shape have been checked. */
export interface VerifiedClaims extends DownloadClaims {
  /** Unique token id: the key of its use counter. */
  readonly jti: string;
  /** Id of the secret that signed it (useful to watch a key rotation drain). */
  readonly kid: string;
  /** Second precision, as in the token. */
  readonly issuedAt: Date;
  /** Second precision; the token is rejected from this instant on. */
  readonly expiresAt: Date;
}

const sources = ["youtube"] as const satisfies readonly SourceName[];
const dispositions = ["attachment", "inline"] as const satisfies readonly Disposition[];

/**
 * Shape of the {@link DownloadClaims} inside a token. Checked when signing (so a token we mint
 * always verifies) and when verifying (so a correctly signed but malformed payload, say from an
 * older release, is rejected as invalid instead of reaching the route half-formed).
 */
export const downloadClaimsSchema = z.object({
  source: z.enum(sources),
  videoId: z.string().min(1).max(128),
  itag: z.number().int().positive(),
  disposition: z.enum(dispositions),
  filename: z.string().min(1).max(255),
  maxUses: z.number().int().positive().optional(),
  apiKeyId: z.string().min(1).max(128).optional(),
});

/** Shape of a whole verified JWT payload: the claims plus the registered claims we rely on. */
export const tokenPayloadSchema = downloadClaimsSchema.extend({
  jti: z.string().min(1).max(128),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
});
