import { describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { TokenExpiredError, TokenInvalidError } from "../../src/core/errors.ts";
import { buildFilename } from "../../src/download/filename.ts";
import { MAX_MEDIA_URL_LENGTH } from "../../src/sources/http/url-policy.ts";
import type { DownloadClaims } from "../../src/tokens/download-claims.ts";
import { createTokenService, MAX_TOKEN_LENGTH, type TokenSecret } from "../../src/tokens/token-service.ts";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0); // a whole second
const TYP = "downtube-download+jwt";

const claims: DownloadClaims = {
  source: "youtube",
  videoId: "dQw4w9WgXcQ",
  delivery: { kind: "file", itag: 18 },
  disposition: "attachment",
  filename: "Never Gonna Give You Up.mp4",
};

function secret(kid: string, fill: number): TokenSecret {
  return { kid, key: new Uint8Array(32).fill(fill) };
}

const OLD = secret("2024-01", 1);
const NEW = secret("2024-05", 2);

/** A service whose clock the test moves by hand, and whose ids count up. */
function setup(secrets: readonly TokenSecret[] = [OLD]) {
  let now = T0;
  let ids = 0;
  const service = createTokenService({
    secrets,
    clock: () => now,
    randomId: () => `jti-${++ids}`,
  });
  return {
    service,
    setNow(ms: number) {
      now = ms;
    },
  };
}

function base64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString("base64url");
}

function decodePart(token: string, index: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[index] ?? "", "base64url").toString("utf8"));
}

function validPayload(): Record<string, unknown> {
  return { v: 2, ...claims, iat: T0 / 1000, exp: T0 / 1000 + 60, jti: "forged" };
}

/** A payload as version 1 tokens carried it: one format as a top-level `itag`, no version. */
function version1Payload(): Record<string, unknown> {
  const { delivery: _delivery, ...rest } = claims;
  return { ...rest, itag: 18, iat: T0 / 1000, exp: T0 / 1000 + 60, jti: "v1-token" };
}

const signByHand = (payload: Record<string, unknown>) =>
  new SignJWT(payload).setProtectedHeader({ alg: "HS256", kid: OLD.kid, typ: TYP }).sign(OLD.key);

describe("token service", () => {
  test("verifies a token it signed and returns its claims", async () => {
    const { service } = setup();
    const signed = await service.sign({ ...claims, maxUses: 3, apiKeyId: "key-7" }, 600);
    expect(signed.jti).toBe("jti-1");
    expect(signed.expiresAt).toEqual(new Date(T0 + 600_000));
    const verified = await service.verify(signed.token);
    expect(verified).toStrictEqual({
      ...claims,
      maxUses: 3,
      apiKeyId: "key-7",
      jti: "jti-1",
      kid: OLD.kid,
      issuedAt: new Date(T0),
      expiresAt: new Date(T0 + 600_000),
    });
  });

  test("leaves optional claims out when they were not given", async () => {
    const { service } = setup();
    const verified = await service.verify((await service.sign(claims, 60)).token);
    expect("maxUses" in verified).toBe(false);
    expect("apiKeyId" in verified).toBe(false);
  });

  test("writes an HS256 header with the signing key id and an explicit type", async () => {
    const { service } = setup([NEW, OLD]);
    const { token } = await service.sign(claims, 60);
    expect(decodePart(token, 0)).toEqual({ alg: "HS256", kid: NEW.kid, typ: TYP });
    expect(decodePart(token, 1)).toMatchObject({ iat: T0 / 1000, exp: T0 / 1000 + 60, jti: "jti-1" });
  });

  test("accepts a token until the last millisecond before expiry and rejects it from then on", async () => {
    const { service, setNow } = setup();
    const { token, expiresAt } = await service.sign(claims, 60);
    setNow(expiresAt.getTime() - 1);
    expect((await service.verify(token)).jti).toBe("jti-1");
    setNow(expiresAt.getTime());
    await expect(service.verify(token)).rejects.toBeInstanceOf(TokenExpiredError);
    setNow(expiresAt.getTime() + 86_400_000);
    await expect(service.verify(token)).rejects.toBeInstanceOf(TokenExpiredError);
  });

  test("reports an expiry that is exactly when verification starts failing, mid-second clocks included", async () => {
    const { service, setNow } = setup();
    setNow(T0 + 999);
    const { token, expiresAt } = await service.sign(claims, 10);
    expect(expiresAt).toEqual(new Date(T0 + 10_000));
    setNow(T0 + 9_999);
    expect((await service.verify(token)).expiresAt).toEqual(expiresAt);
    setNow(T0 + 10_000);
    await expect(service.verify(token)).rejects.toBeInstanceOf(TokenExpiredError);
  });

  test("still verifies a token signed before a new key was prepended", async () => {
    const before = setup([OLD]);
    const { token } = await before.service.sign(claims, 60);
    const after = setup([NEW, OLD]);
    const verified = await after.service.verify(token);
    expect(verified.kid).toBe(OLD.kid);
    expect(decodePart((await after.service.sign(claims, 60)).token, 0).kid).toBe(NEW.kid);
  });

  test("rejects a token whose key was removed", async () => {
    const { token } = await setup([NEW, OLD]).service.sign(claims, 60);
    const rotated = setup([secret("2024-09", 3), OLD]);
    await expect(rotated.service.verify(token)).rejects.toBeInstanceOf(TokenInvalidError);
  });

  test("rejects a token signed by a different key under the same key id", async () => {
    const { token } = await setup([secret(OLD.kid, 9)]).service.sign(claims, 60);
    await expect(setup([OLD]).service.verify(token)).rejects.toBeInstanceOf(TokenInvalidError);
  });

  test("rejects a token whose payload was tampered with", async () => {
    const { service } = setup();
    const [header, , signature] = (await service.sign(claims, 60)).token.split(".");
    const { token: other } = await service.sign({ ...claims, delivery: { kind: "file", itag: 22 } }, 60);
    const forged = `${header}.${other.split(".")[1]}.${signature}`;
    await expect(service.verify(forged)).rejects.toBeInstanceOf(TokenInvalidError);
    const edited = { ...decodePart(other, 1), delivery: { kind: "file", itag: 137 } };
    await expect(
      service.verify(`${header}.${base64url(JSON.stringify(edited))}.${signature}`),
    ).rejects.toBeInstanceOf(TokenInvalidError);
  });

  test("rejects a token whose signature was tampered with", async () => {
    const { service } = setup();
    const { token } = await service.sign(claims, 60);
    const [header, payload, signature = ""] = token.split(".");
    const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
    await expect(service.verify(`${header}.${payload}.${flipped}`)).rejects.toBeInstanceOf(TokenInvalidError);
    await expect(service.verify(`${header}.${payload}.`)).rejects.toBeInstanceOf(TokenInvalidError);
  });

  test("rejects truncated tokens", async () => {
    const { service } = setup();
    const { token } = await service.sign(claims, 60);
    for (const cut of [1, 5, 20, token.length - token.lastIndexOf("."), token.length - 1]) {
      await expect(service.verify(token.slice(0, token.length - cut))).rejects.toBeInstanceOf(
        TokenInvalidError,
      );
    }
  });

  test("rejects an unsigned alg:none token crafted by hand", async () => {
    const { service } = setup();
    const header = base64url(JSON.stringify({ alg: "none", kid: OLD.kid, typ: TYP }));
    const payload = base64url(JSON.stringify(validPayload()));
    await expect(service.verify(`${header}.${payload}.`)).rejects.toBeInstanceOf(TokenInvalidError);
    await expect(service.verify(`${header}.${payload}`)).rejects.toBeInstanceOf(TokenInvalidError);
  });

  test("rejects a token signed with HS512 under the right key", async () => {
    const { service } = setup();
    const token = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: "HS512", kid: OLD.kid, typ: TYP })
      .sign(OLD.key);
    await expect(service.verify(token)).rejects.toBeInstanceOf(TokenInvalidError);
  });

  test("rejects a correctly signed token without a key id", async () => {
    const { service } = setup();
    const token = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: "HS256", typ: TYP })
      .sign(OLD.key);
    await expect(service.verify(token)).rejects.toBeInstanceOf(TokenInvalidError);
  });

  test("rejects a correctly signed JWT of another type", async () => {
    const { service } = setup();
    const token = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: "HS256", kid: OLD.kid, typ: "JWT" })
      .sign(OLD.key);
    await expect(service.verify(token)).rejects.toBeInstanceOf(TokenInvalidError);
  });

  test("rejects a correctly signed token whose payload has the wrong shape", async () => {
    const { service } = setup();
    const { jti: _jti, ...withoutJti } = validPayload();
    const { exp: _exp, ...withoutExp } = validPayload();
    const { v: _v, ...withoutVersion } = validPayload();
    for (const payload of [
      { ...validPayload(), delivery: { kind: "file", itag: "18" } },
      { ...validPayload(), delivery: { kind: "file", itag: 18.5 } },
      { ...validPayload(), delivery: { kind: "file" } },
      { ...validPayload(), delivery: { kind: "torrent", itag: 18 } },
      { ...validPayload(), delivery: { kind: "file", itag: 18, url: "http://10.0.0.1/" } },
      { ...validPayload(), delivery: undefined },
      { ...validPayload(), v: 3 },
      { ...validPayload(), v: "2" },
      withoutVersion,
      { ...version1Payload(), itag: "18" },
      { ...version1Payload(), v: 1 },
      { ...version1Payload(), delivery: { kind: "file", itag: 18 } },
      { ...validPayload(), source: "vimeo" },
      { ...validPayload(), disposition: "download" },
      { ...validPayload(), filename: "" },
      { ...validPayload(), maxUses: 0 },
      { ...validPayload(), videoId: undefined },
      withoutJti,
      withoutExp,
    ]) {
      await expect(service.verify(await signByHand(payload))).rejects.toBeInstanceOf(TokenInvalidError);
    }
  });

  test("writes the claims version and the delivery into the payload", async () => {
    const { service } = setup();
    const { token } = await service.sign(claims, 60);
    expect(decodePart(token, 1)).toMatchObject({ v: 2, delivery: { kind: "file", itag: 18 } });
    expect("itag" in decodePart(token, 1)).toBe(false);
  });

  test("carries a merge delivery: video itag, audio itag and container", async () => {
    const { service } = setup();
    const merge = { kind: "merge", video: 137, audio: 140, container: "mp4" } as const;
    const { token } = await service.sign({ ...claims, delivery: merge }, 60);
    expect((await service.verify(token)).delivery).toEqual(merge);
  });

  test("refuses a merge delivery into a container a merge cannot write", async () => {
    const { service } = setup();
    const mkv = {
      kind: "merge",
      video: 137,
      audio: 140,
      container: "mkv",
    } as unknown as DownloadClaims["delivery"];
    await expect(service.sign({ ...claims, delivery: mkv }, 60)).rejects.toBeInstanceOf(TypeError);
  });

  test("still verifies a version 1 token, reading its itag as a file delivery", async () => {
    const { service, setNow } = setup();
    setNow(T0);
    const verified = await service.verify(await signByHand(version1Payload()));
    expect(verified.delivery).toEqual({ kind: "file", itag: 18 });
    expect(verified.jti).toBe("v1-token");
    expect("itag" in verified).toBe(false);
  });

  test("calls a forged token invalid, not expired, even when its expiry has passed", async () => {
    const { service, setNow } = setup();
    const { token } = await service.sign(claims, 60);
    const [header, payload] = token.split(".");
    setNow(T0 + 3_600_000);
    await expect(service.verify(`${header}.${payload}.${"A".repeat(43)}`)).rejects.toBeInstanceOf(
      TokenInvalidError,
    );
    await expect(service.verify(token)).rejects.toBeInstanceOf(TokenExpiredError);
  });

  test("rejects a correctly signed token with critical header parameters or not valid yet", async () => {
    const { service } = setup();
    const critical = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: "HS256", kid: OLD.kid, typ: TYP, crit: ["b64"], b64: true })
      .sign(OLD.key);
    await expect(service.verify(critical)).rejects.toBeInstanceOf(TokenInvalidError);
    const early = await signByHand({ ...validPayload(), nbf: T0 / 1000 + 1 });
    await expect(service.verify(early)).rejects.toBeInstanceOf(TokenInvalidError);
    for (const claim of ["exp", "iat", "nbf"]) {
      const token = await signByHand({ ...validPayload(), [claim]: String(validPayload().exp) });
      await expect(service.verify(token)).rejects.toBeInstanceOf(TokenInvalidError);
    }
  });

  test("accepts its type written with an application/ prefix or in capitals (RFC 7515 §4.1.9)", async () => {
    const { service } = setup();
    for (const typ of [`application/${TYP}`, TYP.toUpperCase()]) {
      const token = await new SignJWT(validPayload())
        .setProtectedHeader({ alg: "HS256", kid: OLD.kid, typ })
        .sign(OLD.key);
      expect((await service.verify(token)).jti).toBe("forged");
    }
  });

  test("rejects a genuine signature written with padding, whitespace, extra characters or other spare bits", async () => {
    const { service } = setup();
    const { token } = await service.sign(claims, 60);
    for (const tail of ["=", "A", "==", " ", "\n", "%20"]) {
      await expect(service.verify(`${token}${tail}`)).rejects.toBeInstanceOf(TokenInvalidError);
    }
    // The same signature bytes in another spelling: 43 characters carry 258 bits for 256, so
    // flipping the lowest of the last character's spare bits changes the text, not the bytes.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(token.at(-1) ?? "");
    const twin = `${token.slice(0, -1)}${alphabet[last ^ 1]}`;
    const signatureBytes = (jwt: string) => Buffer.from(jwt.split(".")[2] ?? "", "base64url");
    expect(signatureBytes(twin).equals(signatureBytes(token))).toBe(true);
    await expect(service.verify(twin)).rejects.toBeInstanceOf(TokenInvalidError);
  });

  test("rejects garbage, the empty string and oversized strings as invalid", async () => {
    const { service, setNow } = setup();
    setNow(T0);
    for (const garbage of [
      "",
      ".",
      "..",
      "...",
      "abc",
      "a.b.c",
      "a.b.c.d.e",
      "💩.💩.💩",
      "eyJhbGciOiJIUzI1NiJ9.e30.",
      `${base64url("{not json")}.${base64url("{}")}.abc`,
      `${base64url("null")}.${base64url("null")}.abc`,
      `${base64url('"str"')}.${base64url("[]")}.abc`,
      "x".repeat(4000),
      "a".repeat(10_240),
      `${"a".repeat(5000)}.${"b".repeat(5000)}.c`,
    ]) {
      await expect(service.verify(garbage)).rejects.toBeInstanceOf(TokenInvalidError);
    }
  });

  test("refuses to sign with a TTL that is not a positive whole number of seconds", async () => {
    const { service } = setup();
    for (const ttl of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(service.sign(claims, ttl)).rejects.toBeInstanceOf(RangeError);
    }
  });

  test("refuses to sign claims that would not verify", async () => {
    const { service } = setup();
    await expect(
      service.sign({ ...claims, delivery: { kind: "file", itag: -1 } }, 60),
    ).rejects.toBeInstanceOf(TypeError);
    await expect(service.sign({ ...claims, filename: "" }, 60)).rejects.toBeInstanceOf(TypeError);
  });

  test("refuses to start without secrets, with a repeated key id or with a short key", () => {
    const options = { clock: () => T0, randomId: () => "x" };
    expect(() => createTokenService({ ...options, secrets: [] })).toThrow(RangeError);
    expect(() => createTokenService({ ...options, secrets: [OLD, secret(OLD.kid, 5)] })).toThrow(RangeError);
    expect(() => createTokenService({ ...options, secrets: [{ kid: "", key: OLD.key }] })).toThrow(
      RangeError,
    );
    expect(() =>
      createTokenService({ ...options, secrets: [{ kid: "short", key: new Uint8Array(31) }] }),
    ).toThrow(RangeError);
  });
});

describe("a direct URL's token", () => {
  test("with the longest URL, file name and key id still fits the route's length limit and verifies", async () => {
    const { service } = setup();
    const url = `https://media.example.com/${"a".repeat(MAX_MEDIA_URL_LENGTH - 26)}`;
    expect(url.length).toBe(MAX_MEDIA_URL_LENGTH);
    const longest: DownloadClaims = {
      source: "http",
      videoId: url,
      delivery: { kind: "file", itag: 1 },
      disposition: "attachment",
      // 200 bytes of three-byte characters: the longest stem, and the one JSON grows most.
      filename: buildFilename("語".repeat(100), "webm"),
      maxUses: 1_000_000,
      apiKeyId: "k".repeat(128),
    };
    const { token } = await service.sign(longest, 3600);
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
    expect((await service.verify(token)).videoId).toBe(url);
  });
});
