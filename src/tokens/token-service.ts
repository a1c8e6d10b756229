import { createHmac, timingSafeEqual } from "node:crypto";
import { SignJWT } from "jose";
import { TokenExpiredError, TokenInvalidError } from "../core/errors.ts";
import type { Clock } from "../core/ports.ts";
import { checkCompactShape } from "./compact-jws.ts";
import {
  CLAIMS_VERSION,
  type DownloadClaims,
  downloadClaimsSchema,
  tokenPayloadSchema,
  type VerifiedClaims,
} from "./download-claims.ts";

/** One HMAC secret, named by the `kid` header of the tokens it signs. */
export interface TokenSecret {
  readonly kid: string;
  /** At least {@link MIN_SECRET_BYTES} bytes of key material. */
  readonly key: Uint8Array;
}

/** Dependencies of {@link createTokenService}. */
export interface TokenServiceOptions {
  /** The first secret signs; every secret verifies, so a new one can be prepended to rotate. */
  readonly secrets: readonly TokenSecret[];
  readonly clock: Clock;
  /** Produces each token's `jti`; injected so tests are deterministic. */
  readonly randomId: () => string;
}

/** A freshly signed download token. */
export interface SignedToken {
  readonly token: string;
  /** Second precision: the instant from which the token is rejected. */
  readonly expiresAt: Date;
  readonly jti: string;
}

/** Mints and checks the signed, expiring tokens redeemed on `/download/:token`. */
export interface TokenService {
  /**
   * Signs `claims` for `ttlSeconds` seconds from now (by the injected clock).
   * @throws RangeError when `ttlSeconds` is not a positive integer; TypeError when `claims` do
   *   not match `downloadClaimsSchema` (both caller bugs: clamping and sanitising happen first).
   */
  sign(claims: DownloadClaims, ttlSeconds: number): Promise<SignedToken>;
  /**
   * Checks signature, algorithm, key id, expiry and payload shape.
   * @throws TokenExpiredError for a genuine token past its `exp`; TokenInvalidError for anything
   *   else that is not a genuine, well-formed, current token. Never throws a jose error.
   */
  verify(token: string): Promise<VerifiedClaims>;
}

/** HS256 wants a key at least as long as its 256-bit output (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;

/** Longer strings are rejected before any parsing; real tokens are well under 1 kB. */
export const MAX_TOKEN_LENGTH = 4096;

// Explicit typing (RFC 8725 §3.11): a JWT minted for something else with the same key is refused.
const TOKEN_TYPE = "downtube-download+jwt";
const ALGORITHM = "HS256";

/** What a client is told is the same for every refusal; the detail stays in the cause (logs). */
const invalid = (cause: unknown) => new TokenInvalidError("download token is invalid", { cause });

/** A part of a compact JWS as JSON, or undefined when it is not a JSON object. */
function jsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A `typ` as RFC 7515 §4.1.9 compares it: without an `application/` prefix, in any case. */
function mediaType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith("application/") ? lower.slice("application/".length) : lower;
}

/**
 * Whether `signature` is the HS256 of `signingInput` under `key`, compared in constant time.
 * Checked in this thread with node:crypto: jose checks it with WebCrypto, whose HMAC finishes on
 * a worker thread; timed in the offload mode's gateway, that verification took 0.5–2.2 ms of the
 * 2–3 ms before its answer to nginx, on every download's first byte (the target is + 2 ms over
 * nginx alone). jose still signs.
 */
function signatureMatches(signingInput: string, signature: string, key: Uint8Array): boolean {
  const expected = createHmac("sha256", key).update(signingInput).digest();
  const given = Buffer.from(signature, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Builds the HS256 {@link TokenService}: jose signs; verification is in this thread (see
 * `signatureMatches`), constant-time, with explicit typing, the algorithm pinned and the key
 * chosen by `kid`.
 * @throws RangeError when `secrets` is empty, a `kid` is empty or repeated, or a key is shorter
 *   than {@link MIN_SECRET_BYTES} bytes.
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const { clock, randomId } = options;
  const [signer] = options.secrets;
  if (signer === undefined) throw new RangeError("at least one token secret is required");
  const keys = new Map<string, Uint8Array>();
  for (const { kid, key } of options.secrets) {
    if (kid === "") throw new RangeError("token secret ids must not be empty");
    if (keys.has(kid)) throw new RangeError(`token secret id ${JSON.stringify(kid)} is used twice`);
    if (key.length < MIN_SECRET_BYTES) {
      throw new RangeError(`token secret ${JSON.stringify(kid)} is shorter than ${MIN_SECRET_BYTES} bytes`);
    }
    keys.set(kid, key);
  }

  return {
    async sign(claims, ttlSeconds) {
      if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
        throw new RangeError(`token TTL must be a positive whole number of seconds, got ${ttlSeconds}`);
      }
      const parsed = downloadClaimsSchema.safeParse(claims);
      if (!parsed.success) throw new TypeError("download claims are malformed", { cause: parsed.error });
      const issuedAt = Math.floor(clock() / 1000);
      const expiresAt = issuedAt + ttlSeconds;
      const jti = randomId();
      const jwt = new SignJWT({ v: CLAIMS_VERSION, ...parsed.data })
        .setProtectedHeader({ alg: ALGORITHM, kid: signer.kid, typ: TOKEN_TYPE })
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .setJti(jti);
      return { token: await jwt.sign(signer.key), expiresAt: new Date(expiresAt * 1000), jti };
    },

    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw new TokenInvalidError("download token is too long");
      // Fails closed: anything that is not a genuine, current HS256 token of ours is refused.
      checkCompactShape(token);
      const [headerPart = "", payloadPart = "", signature = ""] = token.split(".");
      const header = jsonPart(headerPart);
      if (header?.alg !== ALGORITHM) throw invalid(new Error("not signed with HS256"));
      if (typeof header.typ !== "string" || mediaType(header.typ) !== TOKEN_TYPE)
        throw invalid(new Error("not a download token"));
      const kid = typeof header.kid === "string" ? header.kid : undefined;
      const key = kid === undefined ? undefined : keys.get(kid);
      if (kid === undefined || key === undefined) throw invalid(new Error("signed with an unknown key"));
      if (!signatureMatches(`${headerPart}.${payloadPart}`, signature, key))
        throw invalid(new Error("the signature does not match"));
      const raw = jsonPart(payloadPart);
      const payload = tokenPayloadSchema.safeParse(raw);
      if (!payload.success)
        throw new TokenInvalidError("download token is malformed", { cause: payload.error });
      const now = Math.floor(clock() / 1000);
      // None of ours carries `nbf`; one that does is honoured, as any JWT library would.
      const notBefore = raw?.nbf;
      if (notBefore !== undefined && (typeof notBefore !== "number" || notBefore > now))
        throw invalid(new Error("not valid yet"));
      // A token is expired from the second its `exp` names.
      if (payload.data.exp <= now) throw new TokenExpiredError("download token has expired");
      const { jti, iat, exp, ...claims } = payload.data;
      return {
        ...claims,
        jti,
        kid,
        issuedAt: new Date(iat * 1000),
        expiresAt: new Date(exp * 1000),
      };
    },
  };
}
