import { type ChallengeKind, YouTubeChallengeError } from "../../core/errors.ts";
import { createExpiringMap } from "../../core/expiring-map.ts";
import type { Logger } from "../../core/logger.ts";
import type { Clock } from "../../core/ports.ts";
import type { Egress, EgressPool } from "./egress-pool.ts";
import type { PoTokens } from "./po-tokens.ts";

/** What an operator had in place when YouTube pushed back: the message says what is missing. */
export interface AccessInPlace {
  readonly cookies: boolean;
  /** `none`: no PO token configured; `down`: a provider gave none this time. */
  readonly poToken: "static" | "provider" | "down" | "none";
  readonly egresses: number;
}

const WHAT_HAPPENED: Record<ChallengeKind, string> = {
  bot_check: 'YouTube asked this gateway to sign in to confirm it is not a bot ("LOGIN_REQUIRED")',
  po_token_required: "YouTube asked this gateway for a proof-of-origin (PO) token",
  media_refused: "YouTube refused the media even from a fresh extraction (HTTP 403)",
};

/**
 * The `YOUTUBE_CHALLENGE` message: what YouTube did, that it is about the gateway's address and
 * not the video, and what an operator can add. Names settings, never their values.
 */
export function challengeMessage(kind: ChallengeKind, access: AccessInPlace): string {
  const helps: string[] = [];
  if (!access.cookies) helps.push("the cookies of a signed-in account (DOWNTUBE_YOUTUBE_COOKIES_FILE)");
  if (access.poToken === "none")
    helps.push("a PO token (DOWNTUBE_YOUTUBE_PO_TOKEN, or a provider in DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER)");
  if (access.poToken === "down") helps.push("a PO-token provider that answers (it gave no token this time)");
  if (access.poToken === "static") helps.push("a fresh PO token (DOWNTUBE_YOUTUBE_PO_TOKEN may be stale)");
  helps.push(
    access.egresses > 1
      ? "time: this egress rests after repeated challenges and the next one takes its videos"
      : "another egress address (DOWNTUBE_EGRESS_PROXIES)",
  );
  return `${WHAT_HAPPENED[kind]}: this is about the gateway's address, not the video. What helps: ${helps.join("; ")}.`;
}

export interface ChallengerOptions {
  readonly egresses: EgressPool;
  readonly poTokens: PoTokens | undefined;
  /** Whether a cookies file is configured. */
  readonly cookies: boolean;
  readonly log: Logger;
  readonly onChallenge?: ((egress: string, kind: ChallengeKind) => void) | undefined;
}

/**
 * Records a challenge of `egress` (its streak, the metric, a warning) and makes the error a client
 * is answered with: `hadToken` says whether the challenged request carried a PO token.
 */
export type Challenger = (
  egress: Egress,
  kind: ChallengeKind,
  cause: unknown,
  hadToken: boolean,
) => YouTubeChallengeError;

export function createChallenger(options: ChallengerOptions): Challenger {
  const { egresses, poTokens, log } = options;
  const accessInPlace = (hadToken: boolean): AccessInPlace => {
    const kind = poTokens?.health() === undefined ? "static" : "provider";
    const poToken = poTokens === undefined ? "none" : hadToken ? kind : "down";
    return { cookies: options.cookies, poToken, egresses: egresses.all.length };
  };
  return (egress, kind, cause, hadToken) => {
    egresses.challenged(egress.id);
    options.onChallenge?.(egress.id, kind);
    log.warn("YouTube challenged the gateway", {
      egress: egress.id,
      kind,
      state: egresses.states()[egress.id],
    });
    return new YouTubeChallengeError(challengeMessage(kind, accessInPlace(hadToken)), {
      kind,
      retryAfterSeconds: egresses.retryAfterSeconds(),
      cause,
    });
  };
}

/**
 * Tells a media URL that expired from a challenge: googlevideo answers 403 to both. The first 403
 * of a video leads to a fresh extraction (an expired URL); a 403 of a URL extracted after that
 * refusal means a fresh extraction did not fix it: YouTube refuses the requester.
 */
export interface MediaRefusals {
  /** Notes URLs just extracted. */
  extracted(urls: readonly string[]): void;
  /** Notes a 403 of `url` of `videoId`; true when it is a challenge rather than an expired URL. */
  refusedIsChallenge(videoId: string, url: string): boolean;
}

/** How long a media refusal, and an extraction after it, are remembered. */
const REFUSAL_MEMORY_MS = 10 * 60_000;

export function createMediaRefusals(options: { clock: Clock; maxEntries: number }): MediaRefusals {
  // A counter orders extractions and refusals: a clock may give two of them the same time.
  let sequence = 0;
  const memo = { clock: options.clock, ttlMs: REFUSAL_MEMORY_MS, maxEntries: options.maxEntries };
  const extractedAt = createExpiringMap<number>(memo);
  const refusedAt = createExpiringMap<number>(memo);
  return {
    extracted(urls) {
      sequence += 1;
      for (const url of urls) extractedAt.set(url, sequence);
    },
    refusedIsChallenge(videoId, url) {
      const extracted = extractedAt.get(url);
      const refused = refusedAt.get(videoId);
      if (extracted !== undefined && refused !== undefined && extracted > refused) return true;
      sequence += 1;
      refusedAt.set(videoId, sequence);
      return false;
    },
  };
}
