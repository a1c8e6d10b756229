import { afterEach, describe, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { type FakePoTokenProvider, startFakePoTokenProvider } from "../../fake-youtube/po-token-provider.ts";
import type { FakeYouTubeOptions } from "../../fake-youtube/server.ts";
import { mintPoToken } from "../../fake-youtube/strict-youtube.ts";
import { prepareDownload, requestDownload } from "../support/downloads.ts";
import { metric } from "../support/metrics.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const VIDEO = gql`
  query Video($url: String!) {
    video(url: $url) { id }
  }
`;

// ytdl-core 4.16 cannot carry a PO token (its watch page is its first request): where bot checks
// are on, the token passes through youtubei.js, which every run of this file includes.

const sha256 = (bytes: ArrayBuffer) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await thing.stop();
});

/** A strict simulated YouTube, a provider double minting its tokens, and a gateway using both. */
async function withProvider(
  strict: NonNullable<FakeYouTubeOptions["strict"]>,
  mode: FakePoTokenProvider["mode"] = "ok",
  env: Record<string, string> = {},
): Promise<{ stack: Stack; provider: FakePoTokenProvider }> {
  // The provider needs the simulator's mint, the gateway the provider's URL: a port is taken first.
  let mint: (binding: string) => string = () => "";
  const provider = startFakePoTokenProvider({ mint: (binding) => mint(binding), mode });
  running.push(provider);
  const stack = await startStack({ DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER: provider.url, ...env }, { strict });
  running.push(stack);
  mint = stack.youtube.strict.mintPoToken;
  return { stack, provider };
}

async function downloadsExactly(stack: Stack, id: string, itag: number): Promise<void> {
  const ticket = await prepareDownload(stack, { url: id, format: { itag } });
  const response = await fetch(ticket.url);
  expect(response.status).toBe(200);
  const file = stack.youtube.media.get(itag as 18);
  if (file === undefined) throw new Error(`the simulated YouTube serves no itag ${itag}`);
  expect(sha256(await response.arrayBuffer())).toBe(sha256(await Bun.file(file.path).arrayBuffer()));
}

async function readyz(stack: Stack): Promise<Record<string, unknown>> {
  return (await (await fetch(new URL("/readyz", stack.gateway.url))).json()) as Record<string, unknown>;
}

describe("PO tokens from a provider (DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER)", () => {
  test("pass the bot check, go on every media request as pot=, and downloads finish byte for byte", async () => {
    const { stack, provider } = await withProvider({ botCheck: true, poToken: true, freeBytes: 1024 });
    await downloadsExactly(stack, VIDEO_IDS.plain, 18);
    await downloadsExactly(stack, VIDEO_IDS.plain, 140);
    // Bound to a visitor data the gateway made (none configured), asked once and kept for its lifetime.
    expect(provider.requests).toHaveLength(1);
    const binding = String(provider.requests[0]?.contentBinding);
    expect(provider.requests[0]?.proxy).toBeUndefined();
    // The same visitor data went with the token into the player requests that passed.
    const players = stack.youtube.hits
      .filter("youtubei", VIDEO_IDS.plain)
      .filter((hit) => hit.status === 200);
    expect(players.map((hit) => hit.visitorData)).toContain(binding);
    const media = stack.youtube.hits.filter("media", VIDEO_IDS.plain);
    expect(media.length).toBeGreaterThan(0);
    for (const hit of media) {
      expect(hit.query.pot).toBe(stack.youtube.strict.mintPoToken(binding));
      expect(hit.status).toBe(206);
    }
    expect(await metric(stack, 'downtube_po_token_requests_total{outcome="ok"}')).toBe(1);
    expect(await readyz(stack)).toMatchObject({ poTokenProvider: "up" });
  });

  test("bound to the configured visitor data, one token serves every video, asked once by concurrent extractions", async () => {
    const { stack, provider } = await withProvider({ botCheck: true, poToken: true, freeBytes: 1024 }, "ok", {
      DOWNTUBE_YOUTUBE_VISITOR_DATA: "CgtWaXNpdG9yMDAx",
    });
    const ids = [VIDEO_IDS.plain, VIDEO_IDS.cipher, VIDEO_IDS.mediaTrickle];
    const results = await Promise.all(ids.map((url) => stack.client.query(VIDEO, { url }).toPromise()));
    expect(results.map((result) => result.data?.video?.id)).toEqual(ids);
    expect(provider.requests).toEqual([{ contentBinding: "CgtWaXNpdG9yMDAx", proxy: undefined }]);
    await downloadsExactly(stack, VIDEO_IDS.cipher, 18);
  });

  test("a provider that is down: the gateway stays up, extracts without a token, and says why", async () => {
    const { stack, provider } = await withProvider({});
    await provider.stop();
    const result = await stack.client.query(VIDEO, { url: VIDEO_IDS.plain }).toPromise();
    expect(result.data?.video?.id).toBe(VIDEO_IDS.plain);
    expect(await metric(stack, 'downtube_po_token_requests_total{outcome="failed"}')).toBe(1);
    expect(await readyz(stack)).toMatchObject({ status: "ready", poTokenProvider: "down" });
    expect(stack.logs.some((line) => line.includes("no PO token"))).toBe(true);

    // With bot checks on, the answer is the challenge, and it names the provider.
    stack.youtube.strict.modes.botCheck = true;
    const refused = await stack.client.query(VIDEO, { url: VIDEO_IDS.cipher }).toPromise();
    expect(errorCodes(refused.error)).toEqual(["YOUTUBE_CHALLENGE"]);
    expect(refused.error?.graphQLErrors[0]?.message).toContain("PO-token provider");
    // While it rests after the failure, it is not asked again.
    expect(await metric(stack, 'downtube_po_token_requests_total{outcome="skipped"}')).toBe(1);
  });

  test("a provider that answers 500 is a warning, not a 500", async () => {
    const { stack } = await withProvider({}, "failing");
    const result = await stack.client.query(VIDEO, { url: VIDEO_IDS.plain }).toPromise();
    expect(result.error).toBeUndefined();
    expect(stack.logs.find((line) => line.includes("no PO token"))).toContain("HTTP 500");
  });

  test("a slow provider is given up on within a third of the extraction budget", async () => {
    const { stack, provider } = await withProvider({}, "slow", { DOWNTUBE_UPSTREAM_TIMEOUT_MS: "3000" });
    const result = await stack.client.query(VIDEO, { url: VIDEO_IDS.plain }).toPromise();
    expect(result.data?.video?.id).toBe(VIDEO_IDS.plain);
    expect(provider.requests).toHaveLength(1);
    expect(await metric(stack, 'downtube_po_token_requests_total{outcome="failed"}')).toBe(1);
  });

  test("a wrong token: media is refused past its first bytes, a fresh extraction does not fix it, YOUTUBE_CHALLENGE", async () => {
    const { stack } = await withProvider({ poToken: true, freeBytes: 1024 }, "wrong");
    const ticket = await prepareDownload(stack, { url: VIDEO_IDS.plain, format: { itag: 18 } });
    const response = await fetch(ticket.url);
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("YOUTUBE_CHALLENGE");
    // Refused, extracted again, refused again: then it is the requester, not an expired URL.
    expect(stack.youtube.hits.extractions(VIDEO_IDS.plain)).toBeGreaterThanOrEqual(2);
    expect(
      await metric(stack, 'downtube_youtube_challenges_total{egress="default",kind="media_refused"}'),
    ).toBe(1);
  });
});

describe("a static PO token (DOWNTUBE_YOUTUBE_PO_TOKEN with DOWNTUBE_YOUTUBE_VISITOR_DATA)", () => {
  const secret = "simulated-youtube-token-secret";
  const visitorData = "CgtTdGF0aWNWaXNpdG9y";
  const strict = { botCheck: true, poToken: true, freeBytes: 1024 };

  test("goes with its visitor data into player requests and as pot= on media: downloads finish", async () => {
    const token = mintPoToken(secret, visitorData);
    const stack = await startStack(
      { DOWNTUBE_YOUTUBE_PO_TOKEN: token, DOWNTUBE_YOUTUBE_VISITOR_DATA: visitorData },
      { strict, poTokenSecret: secret },
    );
    running.push(stack);
    await downloadsExactly(stack, VIDEO_IDS.cipher, 18);
    for (const hit of stack.youtube.hits.filter("media")) expect(hit.query.pot).toBe(token);
  });

  test("a token bound to other visitor data does not pass", async () => {
    const stack = await startStack(
      {
        DOWNTUBE_YOUTUBE_PO_TOKEN: mintPoToken(secret, "CgtPdGhlclZpc2l0b3I"),
        DOWNTUBE_YOUTUBE_VISITOR_DATA: visitorData,
      },
      { strict, poTokenSecret: secret },
    );
    running.push(stack);
    const refused = await requestDownload(stack, { url: VIDEO_IDS.cipher });
    expect(errorCodes(refused.error)).toEqual(["YOUTUBE_CHALLENGE"]);
    expect(refused.error?.graphQLErrors[0]?.message).toContain("fresh PO token");
  });
});
