import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { QUIRK_VIDEO_IDS } from "../../fake-youtube/extractor-quirks.ts";
import { prepareDownload } from "../support/downloads.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const VIDEO = gql`
  query Video($url: String!) {
    video(url: $url) { id title formats { itag } }
  }
`;

/** Each order of the two extractors, with a stack of its own. */
const ORDERS = ["ytdl,youtubei", "youtubei,ytdl", "youtubei"] as const;
type Order = (typeof ORDERS)[number];
const stacks = new Map<Order, Stack>();
beforeAll(async () => {
  const started = await Promise.all(
    ORDERS.map((order) => startStack({ DOWNTUBE_YOUTUBE_EXTRACTORS: order })),
  );
  ORDERS.forEach((order, i) => {
    const stack = started[i];
    if (stack !== undefined) stacks.set(order, stack);
  });
}, 20_000);
afterAll(async () => {
  for (const stack of stacks.values()) await stack.stop();
});
const stackOf = (order: Order): Stack => {
  const stack = stacks.get(order);
  if (stack === undefined) throw new Error(`no stack for ${order}`);
  return stack;
};

const sha256 = (bytes: ArrayBuffer) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

/** `downtube_extractions_total` of one extractor and outcome, read off /metrics. */
async function extractions(stack: Stack, extractor: string, outcome: string): Promise<number> {
  const text = await (await fetch(new URL("/metrics", stack.gateway.url))).text();
  const line = text
    .split("\n")
    .find(
      (l) =>
        l.startsWith("downtube_extractions_total{") &&
        l.includes(`extractor="${extractor}"`) &&
        l.includes(`outcome="${outcome}"`),
    );
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

/** Downloads itag 18 of `id` through the gateway and checks it byte for byte against the origin's file. */
async function downloadsExactly(stack: Stack, id: string): Promise<void> {
  const ticket = await prepareDownload(stack, { url: id, format: { itag: 18 } });
  const response = await fetch(ticket.url);
  expect(response.status).toBe(200);
  const file = stack.youtube.media.get(18);
  if (file === undefined) throw new Error("the simulated YouTube serves no itag 18");
  expect(sha256(await response.arrayBuffer())).toBe(sha256(await Bun.file(file.path).arrayBuffer()));
}

/** The `video extracted` log lines about `id`: which extractor served it. */
function servedBy(stack: Stack, id: string): unknown[] {
  return stack.logs
    .map((line) => JSON.parse(line) as { message: string; videoId?: string; extractor?: string })
    .filter((entry) => entry.message === "video extracted" && entry.videoId === id)
    .map((entry) => entry.extractor);
}

describe("the extractor fallback", () => {
  test("a video whose watch page fails is answered by youtubei.js after ytdl-core, and downloads byte for byte", async () => {
    const stack = stackOf("ytdl,youtubei");
    const id = QUIRK_VIDEO_IDS.watchPageBroken;
    const [failedBefore, okBefore] = [
      await extractions(stack, "ytdl", "failed"),
      await extractions(stack, "youtubei", "ok"),
    ];
    await downloadsExactly(stack, id);
    expect(await extractions(stack, "ytdl", "failed")).toBe(failedBefore + 1);
    expect(await extractions(stack, "youtubei", "ok")).toBe(okBefore + 1);
    expect(servedBy(stack, id)).toEqual(["youtubei"]);
    expect(stack.logs.some((line) => line.includes("extractor failed; trying the next one"))).toBe(true);
  });

  test("a video whose InnerTube answer fails is answered by ytdl-core after youtubei.js, and downloads byte for byte", async () => {
    const stack = stackOf("youtubei,ytdl");
    const id = QUIRK_VIDEO_IDS.innertubeBroken;
    await downloadsExactly(stack, id);
    expect(servedBy(stack, id)).toEqual(["ytdl"]);
  });

  test("with a single extractor there is no fallback: its failure is the answer", async () => {
    const stack = stackOf("youtubei");
    const { data, error } = await stack.client
      .query(VIDEO, { url: QUIRK_VIDEO_IDS.innertubeBroken })
      .toPromise();
    expect(data?.video ?? null).toBeNull();
    expect(errorCodes(error)).toEqual(["UPSTREAM_ERROR"]);
    expect(stack.youtube.hits.count("watch", QUIRK_VIDEO_IDS.innertubeBroken)).toBe(0);
  });

  for (const order of ["ytdl,youtubei", "youtubei,ytdl"] as const) {
    test(`a private video stays VIDEO_PRIVATE (${order}): the verdict is not retried`, async () => {
      const stack = stackOf(order);
      stack.youtube.hits.reset();
      const { error } = await stack.client.query(VIDEO, { url: VIDEO_IDS.private }).toPromise();
      expect(errorCodes(error)).toEqual(["VIDEO_PRIVATE"]);
      expect(stack.youtube.hits.extractions(VIDEO_IDS.private)).toBe(1);
      const asked = order.startsWith("ytdl") ? "watch" : "youtubei";
      expect(stack.youtube.hits.all.filter((hit) => hit.videoId === VIDEO_IDS.private)[0]?.kind).toBe(asked);
    });
  }

  test("a ciphered video deciphers with youtubei.js alone, without the watch page", async () => {
    const stack = stackOf("youtubei");
    stack.youtube.hits.reset();
    await downloadsExactly(stack, VIDEO_IDS.cipher);
    expect(stack.youtube.hits.count("watch")).toBe(0);
    expect(stack.youtube.hits.count("embed")).toBe(0);
    // The origin checks the deciphered signature and the transformed n of every media request.
    expect(stack.youtube.hits.filter("media", VIDEO_IDS.cipher).every((hit) => hit.status === 206)).toBe(
      true,
    );
  });
});

describe("a crafted /player answer", () => {
  const globals = globalThis as { downtubeCraftedN?: unknown; downtubeCraftedS?: unknown };
  for (const [id, key] of [
    [QUIRK_VIDEO_IDS.craftedN, "downtubeCraftedN"],
    [QUIRK_VIDEO_IDS.craftedS, "downtubeCraftedS"],
  ] as const) {
    test(`cannot run code through youtubei.js's evaluator (${id}): refused with UPSTREAM_ERROR`, async () => {
      const stack = stackOf("youtubei");
      const { data, error } = await stack.client.query(VIDEO, { url: id }).toPromise();
      expect(data?.video ?? null).toBeNull();
      expect(errorCodes(error)).toEqual(["UPSTREAM_ERROR"]);
      expect(globals[key]).toBeUndefined();
      expect(stack.logs.some((line) => line.includes("UnsafePlayerInputError") && line.includes(id))).toBe(
        true,
      );
    });
  }
});
