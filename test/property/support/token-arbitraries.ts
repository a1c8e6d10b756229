import fc from "fast-check";

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const b64urlText = fc.stringMatching(/^[A-Za-z0-9_-]{0,80}$/);

/**
 * True when `candidate` is the genuine token itself. The gateway accepts a token only as it
 * signed it: the same signature bytes spelled another way (trailing whitespace, padding, other
 * spare bits in the last character, all of which a lenient base64url decoder reads alike) are
 * refused, so a token is one string.
 */
export function sameToken(candidate: string, genuine: string): boolean {
  return candidate === genuine;
}

/** Structurally plausible JWTs that no secret of the gateway signed. */
const forgedJwt = fc
  .record({
    alg: fc.constantFrom("HS256", "none", "RS256", "HS512", "", "hs256"),
    kid: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(undefined)),
    typ: fc.constantFrom("downtube-download+jwt", "JWT", undefined),
    videoId: fc.oneof(fc.constantFrom("Plain000001", "../etc/passwd"), fc.string({ maxLength: 12 })),
    itag: fc.oneof(fc.constantFrom(18, -1, 2 ** 53), fc.integer()),
    exp: fc.oneof(fc.integer(), fc.constant(9_999_999_999)),
    signature: b64urlText,
  })
  .map(
    ({ signature, alg, kid, typ, ...claims }) =>
      `${b64url({ alg, kid, typ })}.${b64url({ source: "youtube", disposition: "attachment", filename: "x.mp4", iat: 0, jti: "j", ...claims })}.${signature}`,
  );

/** Edits of a genuine token: one character flipped, cut short, lengthened, parts swapped or forged. */
function mutatedToken(genuine: string): fc.Arbitrary<string> {
  const [header = "", payload = "", signature = ""] = genuine.split(".");
  const at = fc.nat(genuine.length - 1);
  return fc.oneof(
    fc
      .tuple(at, fc.constantFrom(...B64URL, ".", "=", "+", "/", "%", " ", "\u0000", "é"))
      .map(([i, c]) => genuine.slice(0, i) + c + genuine.slice(i + 1)),
    at.map((i) => genuine.slice(0, i)),
    fc.string({ minLength: 1, maxLength: 40 }).map((tail) => genuine + tail),
    fc.string({ minLength: 1, maxLength: 10 }).map((head) => head + genuine),
    fc.constantFrom(
      `${payload}.${header}.${signature}`,
      `${header}.${payload}`,
      `${header}.${payload}.`,
      `${header}..${signature}`,
      `${header}.${payload}.${signature}.${signature}`,
      `${b64url({ alg: "none", typ: "JWT" })}.${payload}.`,
      `${b64url({ alg: "HS256", kid: "other", typ: "downtube-download+jwt" })}.${payload}.${signature}`,
      genuine.toUpperCase(),
      genuine.repeat(2),
    ),
    // A payload changed to another video, format or expiry, with the genuine signature.
    fc
      .record({
        videoId: fc.constantFrom("Cipher00001", "Plain000002"),
        delivery: fc.constantFrom(22, 137, 140).map((itag) => ({ kind: "file", itag })),
      })
      .map((changes) => {
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
        return `${header}.${b64url({ ...claims, ...changes, exp: 9_999_999_999 })}.${signature}`;
      }),
  );
}

/** Every kind of text a `/download/:token` path could carry, given one genuine token to mutate. */
export function hostileToken(genuine: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 100 }),
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.tuple(b64urlText, b64urlText, b64urlText).map((parts) => parts.join(".")),
    forgedJwt,
    { weight: 4, arbitrary: mutatedToken(genuine) },
    fc.constantFrom(".", "..", "...", "", "%", "a".repeat(4096), "a".repeat(4097), "a.".repeat(5000)),
  );
}
