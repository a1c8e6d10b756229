/**
 * The simulated YouTube, checked with the real youtubei.js 18.1.0 on its default path (session
 * data, InnerTube config, iframe API, es6 player), which the gateway skips (it generates its
 * session locally) but a client of the fake may take; and the quirk videos' answers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Innertube, Platform } from "youtubei.js";
import { catalogVideo, VIDEO_IDS } from "./catalog.ts";
import { CRAFTED_N, QUIRK_VIDEO_IDS } from "./extractor-quirks.ts";
import { expectedSignature, PLAYER_VERSION, SIGNATURE_TIMESTAMP } from "./player-js.ts";
import { type FakeYouTube, startFakeYouTube } from "./server.ts";

let fake: FakeYouTube;
beforeAll(async () => {
  fake = await startFakeYouTube();
});
afterAll(() => fake.stop());

/** youtubei.js's requests, with scheme and host swapped for the fake's. */
const routed = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const target = new URL(url.pathname + url.search, fake.origin);
  return input instanceof Request ? fetch(new Request(target, input), init) : fetch(target, init);
};

describe("youtubei.js against the simulated YouTube", () => {
  test("gets session data, config, the player id and the es6 player from it", async () => {
    fake.reset();
    const youtube = await Innertube.create({ fetch: routed as typeof fetch, fail_fast: true });
    expect(youtube.session.context.client.visitorData).toBe("CgtkdEZha2VWaXNpdG9y");
    expect(youtube.session.player?.player_id).toBe(PLAYER_VERSION);
    expect(youtube.session.player?.signature_timestamp).toBe(SIGNATURE_TIMESTAMP);
    const paths = fake.hits.all.map((hit) => hit.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/sw.js_data",
        "/youtubei/v1/config",
        "/iframe_api",
        `/s/player/${PLAYER_VERSION}/player_es6.vflset/en_US/base.js`,
      ]),
    );
  });

  test("deciphers a ciphered format with the es6 player into a URL the media endpoint accepts", async () => {
    Platform.shim.eval = (script) => new Function(script.output)();
    const youtube = await Innertube.create({
      fetch: routed as typeof fetch,
      generate_session_locally: true,
      retrieve_innertube_config: false,
    });
    const info = await youtube.getInfo(VIDEO_IDS.cipher);
    const format = info.streaming_data?.formats[0];
    if (format === undefined) throw new Error("no muxed format");
    const url = new URL(await format.decipher(youtube.session.player));
    const expire = Number(url.searchParams.get("expire"));
    expect(url.searchParams.get("sig")).toBe(expectedSignature(VIDEO_IDS.cipher, format.itag, expire));
    const media = await routed(url, { headers: { range: "bytes=0-0" } });
    expect(media.status).toBe(206);
    expect(info.basic_info.title).toBe(catalogVideo(VIDEO_IDS.cipher)?.title ?? "missing");
  });

  test("answers /next for an unknown video with an empty object that still has responseContext", async () => {
    const response = await routed("https://www.youtube.com/youtubei/v1/next", {
      method: "POST",
      body: JSON.stringify({ videoId: "Unknown0001" }),
    });
    expect(await response.json()).toEqual({ responseContext: {} });
  });

  test("puts the crafted n into every format of the crafted video's /player answer", async () => {
    const response = await routed("https://www.youtube.com/youtubei/v1/player", {
      method: "POST",
      body: JSON.stringify({ videoId: QUIRK_VIDEO_IDS.craftedN, context: { client: { clientName: "WEB" } } }),
    });
    const body = (await response.json()) as { streamingData: { formats: { signatureCipher: string }[] } };
    const ns = body.streamingData.formats.map((f) =>
      new URL(new URLSearchParams(f.signatureCipher).get("url") ?? "").searchParams.get("n"),
    );
    expect(ns.length).toBeGreaterThan(0);
    expect(ns.every((n) => n === CRAFTED_N)).toBe(true);
  });
});
