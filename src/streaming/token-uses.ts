import { TokenUsedError } from "../core/errors.ts";
import type { Clock, Store } from "../core/ports.ts";
import type { VerifiedClaims } from "./download-claims.ts";

/**
 * How long a use count outlives its token. Instances whose clocks lag could still accept the
 * token a little after its `exp`; the count must not vanish (and reset to zero) before they stop.
 */
export const USE_COUNT_GRACE_MS = 60_000;

/** Enforces `maxUses` across every instance sharing the same {@link Store}. */
export interface TokenUseCounter {
  /**
   * Records one redemption of a verified token. Tokens without `maxUses` are not counted (no
   * store round-trip). Call it once per redemption that streams bytes, not for `HEAD`.
   * @throws TokenUsedError when this redemption would exceed `maxUses`. Store failures propagate.
   */
  consume(claims: Pick<VerifiedClaims, "jti" | "maxUses" | "expiresAt">): Promise<void>;
  /**
   * Checks, without recording a use, that a redemption would still be allowed: what `HEAD`
   * needs to answer as `GET` would.
   * @throws TokenUsedError when every allowed use has been made. Store failures propagate.
   */
  check(claims: Pick<VerifiedClaims, "jti" | "maxUses">): Promise<void>;
}

/**
 * Builds the {@link TokenUseCounter}: one atomic `increment` of `token-uses:<jti>` per
 * redemption, kept until the token's expiry plus {@link USE_COUNT_GRACE_MS}, so the counter
 * disappears by itself once the token is useless anyway.
 */
export function createTokenUseCounter(store: Store, clock: Clock): TokenUseCounter {
  const usedUp = (maxUses: number) =>
    new TokenUsedError(`download token has already been used ${maxUses} time(s)`);
  return {
    async consume({ jti, maxUses, expiresAt }) {
      if (maxUses === undefined) return;
      const ttlMs = Math.max(expiresAt.getTime() - clock(), 0) + USE_COUNT_GRACE_MS;
      const uses = await store.increment(`token-uses:${jti}`, ttlMs);
      if (uses > maxUses) throw usedUp(maxUses);
    },
    async check({ jti, maxUses }) {
      if (maxUses === undefined) return;
      const uses = Number((await store.get(`token-uses:${jti}`)) ?? 0);
      if (uses >= maxUses) throw usedUp(maxUses);
    },
  };
}
