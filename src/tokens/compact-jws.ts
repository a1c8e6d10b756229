import { TokenInvalidError } from "../core/errors.ts";

/** The refusal of a token or cursor of the wrong shape; the detail stays in the cause (logs). */
const invalid = (cause: unknown) => new TokenInvalidError("download token is invalid", { cause });

/** Three base64url parts, the last an unpadded 32-byte HMAC. */
const COMPACT_HS256 = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/;

/**
 * What jose lets through and downtube does not, for download tokens and list cursors alike: one token has one spelling (no padding, no spare
 * bits in the signature's last character, which decode to the same bytes) and no critical header
 * parameters (jose knows `b64`; neither ever needs one). Throws `TokenInvalidError`.
 */
export function checkCompactShape(token: string): void {
  if (!COMPACT_HS256.test(token)) throw invalid(new Error("not a compact HS256 JWS"));
  const [header = "", , signature = ""] = token.split(".");
  if (Buffer.from(signature, "base64url").toString("base64url") !== signature)
    throw invalid(new Error("the signature is not in its one canonical spelling"));
  if (/"crit"/.test(Buffer.from(header, "base64url").toString("utf8")))
    throw invalid(new Error("critical header parameters are not supported"));
}
