import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { metricsText, sampleValue } from "../support/metrics.ts";
import { type Stack, startStack } from "../support/stack.ts";

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
}

async function graphql(stack: Stack, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(stack.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Answer["body"],
  };
}

/** The answer's `video`, or a failure that shows the whole answer. */
function videoOf(answer: Answer): { id?: string; title?: string } {
  const video = answer.body.data?.video;
  if (video == null) throw new Error(`no video: ${JSON.stringify(answer.body)}`);
  return video as { id?: string; title?: string };
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.code);

/**
 * How many times the gateway looked a video's metadata up: a query answered from the response
 * cache runs no resolver, so it looks nothing up.
 */
async function lookups(stack: Stack): Promise<number> {
  const text = await metricsText(stack);
  return ["hit", "miss"].reduce(
    (sum, result) => sum + sampleValue(text, `downtube_metadata_cache_lookups_total{result="${result}"}`),
    0,
  );
}

const VIDEO = "query Video($url: String!) { video(url: $url) { id title durationSeconds } }";
const TITLE_ONLY = "query Title($url: String!) { video(url: $url) { title } }";
const START = Date.UTC(2026, 0, 1);

describe("the response cache", () => {
  let now = START;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ DOWNTUBE_CACHE_TTL: "10" }, {}, () => now);
  });
  afterAll(() => stack.stop());

  test("answers a repeated query without running it, the same answer each time", async () => {
    const first = await graphql(stack, VIDEO, { url: VIDEO_IDS.plain });
    expect(codes(first)).toEqual([]);
    const before = await lookups(stack);
    const again = await graphql(stack, VIDEO, { url: VIDEO_IDS.plain });
    expect(again.body).toEqual(first.body);
    expect(again.status).toBe(200);
    // yoga's conditional answers (304) would skip the rate limits: no validators are handed out.
    for (const answer of [first, again]) {
      expect(answer.headers.get("etag")).toBeNull();
      expect(answer.headers.get("last-modified")).toBeNull();
    }
    expect(await lookups(stack)).toBe(before);
  });

  test("other variables or another document are other answers, each looked up once", async () => {
    const before = await lookups(stack);
    const plain = await graphql(stack, VIDEO, { url: VIDEO_IDS.plain });
    const cipher = await graphql(stack, VIDEO, { url: VIDEO_IDS.cipher });
    const titleOnly = await graphql(stack, TITLE_ONLY, { url: VIDEO_IDS.plain });
    expect(videoOf(plain).id).toBe(VIDEO_IDS.plain);
    expect(videoOf(cipher).id).toBe(VIDEO_IDS.cipher);
    expect(videoOf(titleOnly)).toEqual({ title: videoOf(plain).title });
    expect(await lookups(stack)).toBe(before + 2);
    await graphql(stack, VIDEO, { url: VIDEO_IDS.cipher });
    expect(await lookups(stack)).toBe(before + 2);
  });

  test("never stores a mutation: each prepareDownload mints its own ticket", async () => {
    const prepare = `mutation { prepareDownload(input: { url: "${VIDEO_IDS.plain}" }) { token } }`;
    const before = await lookups(stack);
    const first = await graphql(stack, prepare);
    const second = await graphql(stack, prepare);
    const tokenOf = (answer: Answer) =>
      (answer.body.data?.prepareDownload as { token?: string } | undefined)?.token;
    expect(tokenOf(first)).toBeString();
    expect(tokenOf(first)).not.toBe(tokenOf(second));
    expect(await lookups(stack)).toBe(before + 2);
  });

  test("an answer lives no longer than the metadata it was built from", async () => {
    now = START + 3_600_000;
    const query = "query Fresh($url: String!) { video(url: $url) { id viewCount } }";
    const other = "query Views($url: String!) { video(url: $url) { viewCount } }";
    await graphql(stack, query, { url: VIDEO_IDS.plain });
    const before = await lookups(stack);
    // 8 s into the 10 s the metadata is held: another document is built from the same metadata.
    now += 8_000;
    await graphql(stack, query, { url: VIDEO_IDS.plain });
    await graphql(stack, other, { url: VIDEO_IDS.plain });
    expect(await lookups(stack)).toBe(before + 1);
    await graphql(stack, other, { url: VIDEO_IDS.plain });
    expect(await lookups(stack)).toBe(before + 1);
    // Past the metadata's 10 s both documents run again, the second stored only 3 s before.
    now += 3_000;
    await graphql(stack, query, { url: VIDEO_IDS.plain });
    await graphql(stack, other, { url: VIDEO_IDS.plain });
    expect(await lookups(stack)).toBe(before + 3);
  });
});

describe("the response cache and failures", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({}, { strict: { botCheck: true } });
  });
  afterAll(() => stack.stop());

  test("a failed lookup is not stored: once YouTube lets the address through, the same query answers", async () => {
    const refused = await graphql(stack, VIDEO, { url: VIDEO_IDS.cipher });
    expect(codes(refused)).toEqual(["YOUTUBE_CHALLENGE"]);
    stack.youtube.strict.modes.botCheck = false;
    const answered = await graphql(stack, VIDEO, { url: VIDEO_IDS.cipher });
    expect(codes(answered)).toEqual([]);
    expect(videoOf(answered).id).toBe(VIDEO_IDS.cipher);
  });
});

describe("the response cache and rate limits", () => {
  let now = START;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(
      { DOWNTUBE_RATE_LIMIT_METADATA: "4", DOWNTUBE_RATE_LIMIT_WINDOW_S: "60" },
      {},
      () => now,
    );
  });
  afterAll(() => stack.stop());

  test("a cached answer still counts against the client's allowance: 429 past it, answered once the window turns", async () => {
    const many = `{ videos(urls: ["${VIDEO_IDS.plain}", "${VIDEO_IDS.cipher}"]) { id } }`;
    expect(codes(await graphql(stack, many))).toEqual([]);
    const before = await lookups(stack);
    expect(codes(await graphql(stack, many))).toEqual([]);
    // Both answers were the cache's, and each counted two videos: nothing is left.
    expect(await lookups(stack)).toBe(before);
    const refused = await graphql(stack, many);
    expect(codes(refused)).toEqual(["RATE_LIMITED"]);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-limit")).toBe("4");
    expect(JSON.stringify(refused.body)).not.toContain('"http"');
    now += 60_000;
    expect(codes(await graphql(stack, many))).toEqual([]);
  });
});

describe("DOWNTUBE_RESPONSE_CACHE_MAX_ENTRIES", () => {
  test("bounds the answers held, the least recently used dropped first", async () => {
    const stack = await startStack({ DOWNTUBE_RESPONSE_CACHE_MAX_ENTRIES: "1" });
    try {
      await graphql(stack, VIDEO, { url: VIDEO_IDS.plain });
      await graphql(stack, VIDEO, { url: VIDEO_IDS.cipher });
      const before = await lookups(stack);
      await graphql(stack, VIDEO, { url: VIDEO_IDS.cipher });
      expect(await lookups(stack)).toBe(before);
      await graphql(stack, VIDEO, { url: VIDEO_IDS.plain });
      expect(await lookups(stack)).toBe(before + 1);
    } finally {
      await stack.stop();
    }
  });

  test("0 turns the cache off: every query runs", async () => {
    const stack = await startStack({ DOWNTUBE_RESPONSE_CACHE_MAX_ENTRIES: "0" });
    try {
      await graphql(stack, VIDEO, { url: VIDEO_IDS.plain });
      const before = await lookups(stack);
      await graphql(stack, VIDEO, { url: VIDEO_IDS.plain });
      expect(await lookups(stack)).toBe(before + 1);
    } finally {
      await stack.stop();
    }
  });
});
