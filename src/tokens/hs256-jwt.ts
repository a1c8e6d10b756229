import { createHmac, timingSafeEqual } from "node:crypto";
import { TokenExpiredError, TokenInvalidError } from "../core/errors.ts";

/** What {@link verifyHs256Jwt} checks a token against. */
export interface Hs256Expectations {
  /** The secret for a header's `kid`; undefined for an unknown or missing key id. */
  readonly keyFor: (kid: unknown) => Uint8Array | undefined;
  /** The required `typ` header, compared as RFC 7515 §4.1.9 allows (case, `application/`). */
  readonly typ: string;
  /** Now, in ms since the epoch: `exp` and `nbf` are compared in whole seconds, as jose does. */
  readonly now: number;
  /** Registered claims that must be present. */
  readonly requiredClaims: readonly string[];
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const HS256_SIGNATURE_CHARS = 43; // 32 bytes, unpadded base64url

const normalizedTyp = (typ: string) => typ.toLowerCase().replace(/^application\//, "");

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** What a client is told is the same for every refusal; the detail stays in the cause (logs). */
const invalid = (detail: string) =>
  new TokenInvalidError("download token is invalid", { cause: new Error(detail) });

/** A base64url JSON object, or undefined when it is anything else. */
function decodeObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a compact JWS signed with HS256 (RFC 7515/7519) and returns its header and payload.
 * Synchronous on purpose: WebCrypto's HMAC (what jose uses) completes on a worker thread, and on a
 * busy machine waking that thread and then the event loop again costs up to milliseconds on every
 * download's first byte; node:crypto's HMAC of a few hundred bytes takes microseconds in-thread.
 *
 * Checked, in this order: three base64url parts; a header object with `alg` exactly HS256, no
 * `crit`, the expected `typ` and a known `kid`; the signature over the exact signing input
 * (compared in constant time); a payload object with the required claims, numeric `exp`/`nbf`/
 * `iat`; `nbf` not in the future; then `exp` in the future.
 * @throws TokenExpiredError for a genuine token (everything else checked) whose `exp` has passed;
 *   TokenInvalidError for every other refusal (never anything else).
 */
export function verifyHs256Jwt(
  token: string,
  expect: Hs256Expectations,
): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const parts = token.split(".");
  const [headerPart, payloadPart, signature] = parts;
  if (parts.length !== 3 || headerPart === undefined || payloadPart === undefined || signature === undefined)
    throw invalid("not a compact JWS");
  if (!BASE64URL.test(headerPart) || !BASE64URL.test(payloadPart) || !BASE64URL.test(signature))
    throw invalid("not base64url");

  const header = decodeObject(headerPart);
  if (header === undefined) throw invalid("header is not a JSON object");
  if (header.alg !== "HS256") throw invalid("algorithm is not HS256");
  if ("crit" in header) throw invalid("critical header parameters are not supported");
  if (typeof header.typ !== "string" || normalizedTyp(header.typ) !== normalizedTyp(expect.typ))
    throw invalid("unexpected token type");
  const key = expect.keyFor(header.kid);
  if (key === undefined) throw invalid("signed with an unknown key");

  const expected = createHmac("sha256", key).update(`${headerPart}.${payloadPart}`).digest("base64url");
  if (
    signature.length !== HS256_SIGNATURE_CHARS ||
    !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  )
    throw invalid("signature verification failed");

  const payload = decodeObject(payloadPart);
  if (payload === undefined) throw invalid("payload is not a JSON object");
  for (const claim of expect.requiredClaims)
    if (!(claim in payload)) throw invalid(`missing the "${claim}" claim`);
  for (const claim of ["exp", "nbf", "iat"])
    if (claim in payload && typeof payload[claim] !== "number") throw invalid(`"${claim}" is not a number`);
  const now = Math.floor(expect.now / 1000);
  if (typeof payload.nbf === "number" && payload.nbf > now) throw invalid("not valid yet");
  if (typeof payload.exp === "number" && payload.exp <= now)
    throw new TokenExpiredError("download token has expired");
  return { header, payload };
}
