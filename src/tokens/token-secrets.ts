import type { TokenSecret } from "./token-service.ts";

/**
 * Turns the configured secrets into signing keys. Each `kid` is a short hash of its secret, so
 * operators rotate by editing one list (prepend the new secret, drop the old one later) and no
 * secret is ever written into a token or a log.
 */
export function tokenSecretsFrom(secrets: readonly string[]): TokenSecret[] {
  return secrets.map((secret) => ({
    kid: new Bun.CryptoHasher("sha256").update(`downtube kid:${secret}`).digest("hex").slice(0, 16),
    key: new TextEncoder().encode(secret),
  }));
}

/** A random 256-bit secret for a process run without `DOWNTUBE_TOKEN_SECRETS` (development only). */
export function randomTokenSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}
