import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { startNginxProxy } from "../support/nginx-proxy.ts";
import { type Stack, startStack } from "../support/stack.ts";

const KEY_A = "api-key-a-0123456789abcdef";
const KEY_B = "api-key-b-0123456789abcdef";
const SECRET = "client-limits-secret-of-at-least-32-chars";

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
}

async function graphql(stack: Stack, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(stack.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Answer["body"],
  };
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.code);
const videoQuery = `{ video(url: "${VIDEO_IDS.plain}") { id } }`;
const prepare = (id: string, extra = "") =>
  `mutation { prepareDownload(input: { url: "${id}"${extra} }) { url token } }`;
function ticketOf(answer: Answer): { url: string; token: string } {
  const ticket = answer.body.data?.prepareDownload as { url: string; token: string } | undefined;
  if (ticket === undefined) throw new Error(`no ticket: ${JSON.stringify(answer.body)}`);
  return ticket;
}
const urlOf = (answer: Answer) => ticketOf(answer).url;
const payloadOf = (answer: Answer) =>
  JSON.parse(Buffer.from(ticketOf(answer).token.split(".")[1] ?? "", "base64url").toString()) as Record<
    string,
    unknown
  >;

describe("rate limits", () => {
  let now = Date.UTC(2026, 0, 1);
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(
      {
        DOWNTUBE_RATE_LIMIT_METADATA: "3",
        DOWNTUBE_RATE_LIMIT_PREPARE: "2",
        DOWNTUBE_RATE_LIMIT_DOWNLOAD: "2",
        DOWNTUBE_RATE_LIMIT_WINDOW_S: "60",
        DOWNTUBE_TOKEN_SECRETS: SECRET,
      },
      {},
      () => now,
    );
  });
  afterAll(() => stack.stop());

  test("metadata: answers RATE_LIMITED with 429, Retry-After and RateLimit-* past the allowance, until the window turns", async () => {
    now = Date.UTC(2026, 0, 1, 0, 0);
    for (let i = 0; i < 3; i++) expect(codes(await graphql(stack, videoQuery))).toEqual([]);
    const refused = await graphql(stack, videoQuery);
    expect(codes(refused)).toEqual(["RATE_LIMITED"]);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-limit")).toBe("3");
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(JSON.stringify(refused.body)).not.toContain('"http"');
    now += 60_000;
    expect(codes(await graphql(stack, videoQuery))).toEqual([]);
  });

  test("metadata: videos(urls) counts every URL", async () => {
    now = Date.UTC(2026, 0, 1, 1, 0);
    const many = `{ videos(urls: ["${VIDEO_IDS.plain}", "${VIDEO_IDS.cipher}"]) { id } }`;
    expect(codes(await graphql(stack, many))).toEqual([]);
    expect(codes(await graphql(stack, many))).toEqual(["RATE_LIMITED"]);
  });

  test("prepareDownload and downloads have their own allowances; guessed tokens count too", async () => {
    now = Date.UTC(2026, 0, 1, 2, 0);
    const ticket = await graphql(stack, prepare(VIDEO_IDS.plain));
    expect(codes(ticket)).toEqual([]);
    expect(codes(await graphql(stack, prepare(VIDEO_IDS.plain)))).toEqual([]);
    expect(codes(await graphql(stack, prepare(VIDEO_IDS.plain)))).toEqual(["RATE_LIMITED"]);

    expect((await fetch(new URL("/download/guessed", stack.gateway.url))).status).toBe(401);
    const first = await fetch(urlOf(ticket));
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const refused = await fetch(urlOf(ticket));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
  });
});

describe("stream slots", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(
      {
        DOWNTUBE_MAX_STREAMS_PER_CLIENT: "1",
        DOWNTUBE_MAX_STREAMS: "2",
        DOWNTUBE_API_KEYS: `${KEY_A},${KEY_B}`,
      },
      { trickle: { chunkBytes: 16 * 1024, intervalMs: 50 } },
    );
  });
  afterAll(() => stack.stop());

  const slowTicket = async (key: string) =>
    urlOf(await graphql(stack, prepare(VIDEO_IDS.mediaTrickle), { authorization: `Bearer ${key}` }));

  test("a client gets one stream at a time; 503 with Retry-After for the next, a slot again once it ends", async () => {
    const url = await slowTicket(KEY_A);
    const auth = { authorization: `Bearer ${KEY_A}` };
    const running = await fetch(url, { headers: auth });
    expect(running.status).toBe(200);

    const second = await fetch(url, { headers: auth });
    expect(second.status).toBe(503);
    expect(second.headers.get("retry-after")).not.toBeNull();
    const refusal = (await second.json()) as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe("TOO_MANY_STREAMS");
    expect(refusal.error.message).toContain("per client");

    await running.arrayBuffer();
    const after = await fetch(url, { headers: auth });
    expect(after.status).toBe(200);
    await after.arrayBuffer();
  });

  test("the gateway as a whole streams at most DOWNTUBE_MAX_STREAMS at once", async () => {
    const clients = [KEY_A, KEY_B, "a-third-client-without-key"];
    const [a, b] = await Promise.all(clients.slice(0, 2).map((key) => slowTicket(key)));
    const first = await fetch(a ?? "", { headers: { authorization: `Bearer ${KEY_A}` } });
    const secondClient = await fetch(b ?? "", { headers: { authorization: `Bearer ${KEY_B}` } });
    expect([first.status, secondClient.status]).toEqual([200, 200]);
    // A third client, by address this time, finds the gateway full.
    const third = await fetch(a ?? "");
    expect(third.status).toBe(503);
    expect(((await third.json()) as { error: { message: string } }).error.message).toContain("all it can");
    await Promise.all([first.arrayBuffer(), secondClient.arrayBuffer()]);
  });
});

describe("API keys", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ DOWNTUBE_API_KEYS: `${KEY_A},${KEY_B}`, DOWNTUBE_TOKEN_SECRETS: SECRET });
  });
  afterAll(() => stack.stop());

  test("preparing a download needs a configured key; 401 UNAUTHENTICATED without one", async () => {
    const anonymous = await graphql(stack, prepare(VIDEO_IDS.plain));
    expect(codes(anonymous)).toEqual(["UNAUTHENTICATED"]);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");

    const wrong = await graphql(stack, prepare(VIDEO_IDS.plain), {
      authorization: "Bearer not-a-configured-key-000",
    });
    expect(wrong.status).toBe(401);

    const seed = await fetch(new URL(`/api/downtube?video_url=${VIDEO_IDS.plain}`, stack.gateway.url), {
      redirect: "manual",
    });
    expect(seed.status).toBe(401);
  });

  test("metadata stays open without a key", async () => {
    expect(codes(await graphql(stack, videoQuery))).toEqual([]);
  });

  test("a token records which key minted it, by id, never the key", async () => {
    const minted = await graphql(stack, prepare(VIDEO_IDS.plain), { authorization: `Bearer ${KEY_A}` });
    expect(codes(minted)).toEqual([]);
    const payload = payloadOf(minted);
    expect(typeof payload.apiKeyId).toBe("string");
    expect(JSON.stringify(payload)).not.toContain(KEY_A);
    const other = await graphql(stack, prepare(VIDEO_IDS.plain), { authorization: `Bearer ${KEY_B}` });
    const otherPayload = payloadOf(other);
    expect(otherPayload.apiKeyId).not.toBe(payload.apiKeyId);
    expect(stack.logs.join("\n")).not.toContain(KEY_A);
  });
});

describe("client addresses behind a proxy", () => {
  test("X-Forwarded-For names the client only when DOWNTUBE_TRUST_PROXY is on", async () => {
    const [trusting, plain] = await Promise.all([
      startStack({ DOWNTUBE_RATE_LIMIT_METADATA: "1", DOWNTUBE_TRUST_PROXY: "true" }),
      startStack({ DOWNTUBE_RATE_LIMIT_METADATA: "1" }),
    ]);
    try {
      for (const [stack, second] of [
        [trusting, []],
        [plain, ["RATE_LIMITED"]],
      ] as const) {
        expect(codes(await graphql(stack, videoQuery, { "x-forwarded-for": "203.0.113.1" }))).toEqual([]);
        expect(codes(await graphql(stack, videoQuery, { "x-forwarded-for": "203.0.113.2" }))).toEqual([
          ...second,
        ]);
      }
    } finally {
      await Promise.all([trusting.stop(), plain.stop()]);
    }
  });

  test("behind a real nginx, a client that forges X-Forwarded-For is still known by its address", async () => {
    const stack = await startStack({ DOWNTUBE_RATE_LIMIT_METADATA: "1", DOWNTUBE_TRUST_PROXY: "true" });
    const proxy = await startNginxProxy(stack.gateway.url);
    const through = async (forged: string) => {
      const response = await fetch(new URL("/graphql", proxy.url), {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": forged },
        body: JSON.stringify({ query: videoQuery }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      return (body.errors ?? []).map((e) => e.extensions?.code);
    };
    try {
      expect(await through("198.51.100.1")).toEqual([]);
      // nginx appended the address it saw (127.0.0.1): a new left-hand entry changes nothing.
      expect(await through("198.51.100.2")).toEqual(["RATE_LIMITED"]);
      expect(await through("198.51.100.3, 203.0.113.50")).toEqual(["RATE_LIMITED"]);
    } finally {
      await proxy.stop();
      await stack.stop();
    }
  }, 20_000); // a gateway and nginx starting on a busy machine

  test("the client is the address the trusted proxy saw, whatever the client wrote to its left", async () => {
    const [oneProxy, twoProxies] = await Promise.all([
      startStack({ DOWNTUBE_RATE_LIMIT_METADATA: "1", DOWNTUBE_TRUST_PROXY: "true" }),
      startStack({
        DOWNTUBE_RATE_LIMIT_METADATA: "1",
        DOWNTUBE_TRUST_PROXY: "true",
        DOWNTUBE_TRUSTED_PROXY_HOPS: "2",
      }),
    ]);
    const ask = (stack: Stack, forwardedFor: string) =>
      graphql(stack, videoQuery, { "x-forwarded-for": forwardedFor }).then(codes);
    try {
      // The proxy appended 203.0.113.9; the client made up a new left-hand entry each time.
      expect(await ask(oneProxy, "198.51.100.7, 203.0.113.9")).toEqual([]);
      expect(await ask(oneProxy, "198.51.100.8, 203.0.113.9")).toEqual(["RATE_LIMITED"]);
      expect(await ask(oneProxy, "203.0.113.9")).toEqual(["RATE_LIMITED"]);
      expect(await ask(oneProxy, "198.51.100.7, 203.0.113.10")).toEqual([]);
      // Two proxies: the second from the right is what the outer one saw.
      expect(await ask(twoProxies, "198.51.100.7, 203.0.113.20, 10.0.0.1")).toEqual([]);
      expect(await ask(twoProxies, "198.51.100.9, 203.0.113.20, 10.0.0.2")).toEqual(["RATE_LIMITED"]);
      expect(await ask(twoProxies, "203.0.113.21, 10.0.0.1")).toEqual([]);
    } finally {
      await Promise.all([oneProxy.stop(), twoProxies.stop()]);
    }
  });
});
