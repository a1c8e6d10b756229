import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { prepareDownload, type Ticket } from "../support/downloads.ts";
import { type Stack, startStack } from "../support/stack.ts";

const S1 = "first-secret-of-at-least-32-characters-1111";
const S2 = "second-secret-of-at-least-32-characters-222";

/** The gateways' clock: tests move it to make tokens expire. */
let now = Date.now();
const clock = () => now;

let a: Stack; // signs with s1
let b: Stack; // rotated: signs with s2, still verifies s1
let c: Stack; // s1 removed
const minted: string[] = [];

beforeAll(async () => {
  [a, b, c] = await Promise.all([
    startStack({ DOWNTUBE_TOKEN_SECRETS: S1 }, {}, clock),
    startStack({ DOWNTUBE_TOKEN_SECRETS: `${S2},${S1}` }),
    startStack({ DOWNTUBE_TOKEN_SECRETS: S2 }),
  ]);
});
afterAll(() => Promise.all([a, b, c].map((stack) => stack.stop())));

async function mint(stack: Stack, input: Record<string, unknown> = {}): Promise<Ticket> {
  const ticket = await prepareDownload(stack, { url: VIDEO_IDS.plain, ...input });
  minted.push(ticket.token);
  return ticket;
}

/** A request to `stack`; never a 5xx, whatever it is asked. */
async function call(stack: Stack, path: string, init: RequestInit = {}) {
  const response = await fetch(new URL(path, stack.gateway.url), init);
  expect(response.status).toBeLessThan(500);
  const body = await response.text();
  return { response, body };
}

const download = (stack: Stack, token: string, init: RequestInit = {}) =>
  call(stack, `/download/${token}`, init);

/** The whole file arrived: 200 with the length the ticket announced. */
function expectWholeFile(result: { response: Response }, ticket: Pick<Ticket, "contentLength">): void {
  expect(result.response.status).toBe(200);
  expect(Number(result.response.headers.get("content-length"))).toBe(ticket.contentLength ?? -1);
}

async function expectError(
  result: { response: Response; body: string },
  status: number,
  code: string,
): Promise<void> {
  expect(result.response.status).toBe(status);
  expect(result.response.headers.get("content-type")).toContain("application/json");
  const parsed = JSON.parse(result.body) as { error: { code: string; message: string } };
  expect(Object.keys(parsed)).toEqual(["error"]);
  expect(parsed.error.code).toBe(code);
  expect(typeof parsed.error.message).toBe("string");
  expect(parsed.error.message.length).toBeGreaterThan(0);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const partsOf = (token: string) => {
  const [header = "", payload = "", signature = ""] = token.split(".");
  return { header, payload, signature };
};
const decode = (part: string) =>
  JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;
/** Changes one character in the middle of a base64url string (never only padding bits). */
const flip = (text: string, at = Math.floor(text.length / 2)) =>
  text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);

describe("a genuine token", () => {
  test("downloads the file", async () => {
    const ticket = await mint(a);
    expectWholeFile(await download(a, ticket.token), ticket);
  });

  test("minted by a release before deliveries had kinds (version 1: a top-level itag) downloads the same file", async () => {
    const ticket = await mint(a);
    const { header, payload } = partsOf(ticket.token);
    const { v: _v, delivery, ...rest } = decode(payload);
    const version1 = { ...rest, itag: (delivery as { itag: number }).itag };
    const token = await new SignJWT(version1)
      .setProtectedHeader(decode(header) as { alg: string })
      .sign(new TextEncoder().encode(S1));
    minted.push(token);
    expectWholeFile(await download(a, token), ticket);
  });
});

describe("a token that is not genuine answers 401 TOKEN_INVALID", () => {
  test("with a tampered payload", async () => {
    const { header, payload, signature } = partsOf((await mint(a)).token);
    const claims = decode(payload);
    const forged = `${header}.${b64url({ ...claims, delivery: { kind: "file", itag: 137 }, maxUses: undefined })}.${signature}`;
    await expectError(await download(a, forged), 401, "TOKEN_INVALID");
  });

  test("with a tampered signature", async () => {
    const { header, payload, signature } = partsOf((await mint(a)).token);
    await expectError(await download(a, `${header}.${payload}.${flip(signature, 0)}`), 401, "TOKEN_INVALID");
    await expectError(await download(a, `${header}.${payload}.${flip(signature)}`), 401, "TOKEN_INVALID");
    await expectError(await download(a, `${header}.${payload}.`), 401, "TOKEN_INVALID");
  });

  test("when truncated", async () => {
    const { token } = await mint(a);
    for (const cut of [token.slice(0, -5), token.slice(0, token.lastIndexOf(".")), token.slice(0, 20)]) {
      await expectError(await download(a, cut), 401, "TOKEN_INVALID");
    }
  });

  test("when it is garbage or nearly empty", async () => {
    for (const garbage of ["not-a-token", "a.b.c", "...", "%20", "%00", "%2F..%2Fetc", "🎬", "eyJ", "-"]) {
      await expectError(await download(a, garbage), 401, "TOKEN_INVALID");
    }
    await expectError(await call(a, "/download/"), 401, "TOKEN_INVALID");
  });

  test("when it says alg none", async () => {
    const { header, payload } = partsOf((await mint(a)).token);
    const unsigned = b64url({ ...decode(header), alg: "none" });
    await expectError(await download(a, `${unsigned}.${payload}.`), 401, "TOKEN_INVALID");
    const bare = b64url({ alg: "none", typ: "JWT" });
    await expectError(await download(a, `${bare}.${payload}.`), 401, "TOKEN_INVALID");
  });

  test("when signed with the right key but another algorithm, type or without an id", async () => {
    const { header, payload } = partsOf((await mint(a)).token);
    const original = decode(header);
    const key = new TextEncoder().encode(S1);
    const claims = decode(payload);
    const variants = [
      { ...original, alg: "HS512" },
      { ...original, typ: "JWT" },
      { alg: original.alg, typ: original.typ },
      { ...original, kid: "someone-else" },
    ];
    for (const protectedHeader of variants) {
      const token = await new SignJWT(claims)
        .setProtectedHeader(protectedHeader as { alg: string })
        .sign(key);
      await expectError(await download(a, token), 401, "TOKEN_INVALID");
    }
  });

  test("when the right key signed a payload that is not a download", async () => {
    const { header, payload } = partsOf((await mint(a)).token);
    const { delivery: _delivery, ...withoutDelivery } = decode(payload);
    const token = await new SignJWT(withoutDelivery)
      .setProtectedHeader(decode(header) as { alg: string })
      .sign(new TextEncoder().encode(S1));
    await expectError(await download(a, token), 401, "TOKEN_INVALID");
  });

  test("when another gateway signed it with another secret", async () => {
    const foreign = await mint(c);
    expect((await download(c, foreign.token, { method: "HEAD" })).response.status).toBe(200);
    await expectError(await download(a, foreign.token), 401, "TOKEN_INVALID");
  });

  test("when it is 10 kB long", async () => {
    const { token } = await mint(a);
    const padded = `${token}${"A".repeat(10_000 - token.length)}`;
    await expectError(await download(a, padded), 401, "TOKEN_INVALID");
    await expectError(await download(a, "x".repeat(10_000)), 401, "TOKEN_INVALID");
    const huge = `${b64url({ alg: "HS256" })}.${b64url({ pad: "p".repeat(7000) })}.sig`;
    await expectError(await download(a, huge), 401, "TOKEN_INVALID");
  });

  test("when its percent-encoding is broken", async () => {
    for (const broken of ["%", "%E0%A4%A", "abc%zz"]) {
      await expectError(await download(a, broken), 401, "TOKEN_INVALID");
    }
  });
});

describe("expiry", () => {
  test("a token works until its expiry and answers 410 TOKEN_EXPIRED from that instant", async () => {
    const ticket = await mint(a, { expiresIn: 60 });
    const expiresAt = Date.parse(ticket.expiresAt);
    const start = now;
    try {
      now = expiresAt - 1000;
      expect((await download(a, ticket.token, { method: "HEAD" })).response.status).toBe(200);
      now = expiresAt;
      await expectError(await download(a, ticket.token), 410, "TOKEN_EXPIRED");
      now = expiresAt + 3600_000;
      await expectError(await download(a, ticket.token, { method: "GET" }), 410, "TOKEN_EXPIRED");
      expect((await download(a, ticket.token, { method: "HEAD" })).response.status).toBe(410);
    } finally {
      now = start;
    }
  });

  test("an expired token with a bad signature is invalid, not expired", async () => {
    const ticket = await mint(a, { expiresIn: 1 });
    const { header, payload, signature } = partsOf(ticket.token);
    const start = now;
    try {
      now = Date.parse(ticket.expiresAt) + 60_000;
      await expectError(
        await download(a, `${header}.${payload}.${flip(signature, 0)}`),
        401,
        "TOKEN_INVALID",
      );
    } finally {
      now = start;
    }
  });
});

describe("maxUses", () => {
  test("a single-use token downloads once, then answers 410 TOKEN_USED; HEAD does not use it up", async () => {
    const ticket = await mint(a, { maxUses: 1 });
    for (let i = 0; i < 3; i++) {
      expect((await download(a, ticket.token, { method: "HEAD" })).response.status).toBe(200);
    }
    const first = await download(a, ticket.token);
    expect(first.response.status).toBe(200);
    const before = a.youtube.hits.count("media");
    await expectError(await download(a, ticket.token), 410, "TOKEN_USED");
    expect(a.youtube.hits.count("media")).toBe(before);
  });

  test("HEAD of a used-up token answers 410 as GET would", async () => {
    const ticket = await mint(a, { maxUses: 1 });
    expect((await download(a, ticket.token)).response.status).toBe(200);
    const head = await download(a, ticket.token, { method: "HEAD" });
    expect(head.response.status).toBe(410);
    expect(head.body).toBe("");
  });

  test("ranged GETs count by their bytes: small ranges do not use up a single-use token", async () => {
    const ticket = await mint(a, { maxUses: 1 });
    const range = { headers: { Range: "bytes=0-9" } };
    for (let i = 0; i < 5; i++) expect((await download(a, ticket.token, range)).response.status).toBe(206);
    expectWholeFile(await download(a, ticket.token), ticket);
    await expectError(await download(a, ticket.token, range), 410, "TOKEN_USED");
  });

  test("a token without maxUses can be redeemed again and again", async () => {
    const ticket = await mint(a);
    for (let i = 0; i < 3; i++) {
      expect((await download(a, ticket.token, { headers: { Range: "bytes=0-0" } })).response.status).toBe(
        206,
      );
    }
  });
});

describe("secret rotation", () => {
  test("a token minted before a rotation still works, one whose key was removed does not", async () => {
    const ticket = await mint(a);
    expectWholeFile(await download(b, ticket.token), ticket);
    await expectError(await download(c, ticket.token), 401, "TOKEN_INVALID");
  });

  test("after a rotation the new secret signs, so the old-only gateway refuses new tokens", async () => {
    const fresh = await mint(b);
    expect(partsOf(fresh.token).header).not.toBe(partsOf((await mint(a)).token).header);
    expect((await download(c, fresh.token, { method: "HEAD" })).response.status).toBe(200);
    await expectError(await download(a, fresh.token), 401, "TOKEN_INVALID");
  });
});

describe("other requests on the download route", () => {
  test("POST answers 405 with Allow", async () => {
    const { token } = await mint(a);
    for (const method of ["POST", "PUT", "DELETE"]) {
      const result = await download(a, token, { method });
      await expectError(result, 405, "METHOD_NOT_ALLOWED");
      expect(result.response.headers.get("allow")).toBe("GET, HEAD");
    }
    await expectError(await call(a, "/download/x", { method: "POST" }), 405, "METHOD_NOT_ALLOWED");
  });

  test("an unknown route answers 404 JSON", async () => {
    for (const path of ["/nope", "/download/a/b", "/downloads/x"]) {
      await expectError(await call(a, path), 404, "NOT_FOUND");
    }
  });
});

describe("logs", () => {
  test("never contain a token", () => {
    expect(minted.length).toBeGreaterThan(5);
    const logs = [a, b, c].flatMap((stack) => stack.logs).join("\n");
    for (const token of minted) {
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(partsOf(token).signature);
    }
  });
});
