import { describe, expect, test } from "bun:test";
import { createJsonLogger } from "../../src/core/logger.ts";
import { createPoTokenProvider, type PoTokenOutcome } from "../../src/sources/youtube/po-tokens.ts";

const VISITOR = "CgtWaXNpdG9yMDAx";
const DIRECT = { id: "default", proxy: undefined };
const PROXIED = { id: "eu", proxy: "http://10.0.0.1:3128" };

/** A provider on an in-process fetch: each `POST /get_pot` is recorded and answered by `answer`. */
function provider(
  answer: (body: { content_binding: string; proxy?: string }) => Response | Promise<Response>,
) {
  let now = 1_000_000;
  const asked: { content_binding: string; proxy?: string }[] = [];
  const outcomes: PoTokenOutcome[] = [];
  const logs: string[] = [];
  const tokens = createPoTokenProvider({
    url: new URL("http://127.0.0.1:4416"),
    visitorData: VISITOR,
    fetch: async (url, init) => {
      expect(url).toBe("http://127.0.0.1:4416/get_pot");
      const body = JSON.parse(String(init.body));
      asked.push(body);
      return answer(body);
    },
    clock: () => now,
    timeoutMs: 1000,
    retryMs: 30_000,
    log: createJsonLogger(
      (line) => logs.push(line),
      () => now,
    ),
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  const tokenFor = (id: string, egress: { id: string; proxy: string | undefined } = DIRECT) =>
    tokens.tokenFor(id, egress, new AbortController().signal);
  return { tokens, tokenFor, asked, outcomes, logs, advance: (ms: number) => (now += ms), now: () => now };
}

const answer = (binding: string, expiresAt: string | number) =>
  Response.json({ poToken: `pot-${binding}`, contentBinding: binding, expiresAt });

describe("PO tokens from a provider", () => {
  test("concurrent extractions share one request: every token is bound to the visitor data it goes with", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const p = provider(async (body) => {
      await gate;
      return answer(body.content_binding, new Date(p.now() + 3_600_000).toISOString());
    });
    const waiting = Promise.all([
      p.tokenFor("video000001"),
      p.tokenFor("video000001"),
      p.tokenFor("video000001"),
    ]);
    release();
    const tokens = await waiting;
    expect(tokens.map((token) => token?.token)).toEqual([
      `pot-${VISITOR}`,
      `pot-${VISITOR}`,
      `pot-${VISITOR}`,
    ]);
    expect(tokens[0]?.visitorData).toBe(VISITOR);
    expect(p.asked).toHaveLength(1);
  });

  test("a token is kept until shortly before it expires, then asked for again", async () => {
    const p = provider((body) => answer(body.content_binding, Math.floor((p.now() + 600_000) / 1000)));
    await p.tokenFor("video000001");
    p.advance(500_000);
    await p.tokenFor("video000001");
    expect(p.asked).toHaveLength(1);
    p.advance(50_000); // within a minute of its expiry
    await p.tokenFor("video000001");
    expect(p.asked).toHaveLength(2);
  });

  test("each egress gets its own token, and a proxy egress names its proxy", async () => {
    const p = provider((body) => answer(body.content_binding, new Date(p.now() + 3_600_000).toISOString()));
    await p.tokenFor("video000001", DIRECT);
    await p.tokenFor("video000001", PROXIED);
    expect(p.asked).toEqual([
      { content_binding: VISITOR },
      { content_binding: VISITOR, proxy: "http://10.0.0.1:3128" },
    ]);
  });

  test("a token bound to something else than was asked is no token", async () => {
    const p = provider(() => answer("someone-else", new Date(p.now() + 3_600_000).toISOString()));
    expect(await p.tokenFor("video000001")).toBeUndefined();
    expect(p.outcomes).toEqual(["failed"]);
    expect(p.tokens.health()).toBe("down");
  });

  test("after a failure the provider rests, then is asked again and is up", async () => {
    let failing = true;
    const p = provider((body) =>
      failing
        ? new Response("down", { status: 502 })
        : answer(body.content_binding, new Date(p.now() + 3_600_000).toISOString()),
    );
    expect(await p.tokenFor("video000001")).toBeUndefined();
    expect(await p.tokenFor("video000002")).toBeUndefined();
    expect(p.asked).toHaveLength(1);
    failing = false;
    p.advance(30_000);
    expect((await p.tokenFor("video000002"))?.token).toBe(`pot-${VISITOR}`);
    expect(p.outcomes).toEqual(["failed", "skipped", "ok"]);
    expect(p.tokens.health()).toBe("up");
    expect(p.logs.join("\n")).toContain("HTTP 502");
  });
});
