/**
 * The simulated YouTube, checked with the real @distube/ytdl-core 4.16.12: what it extracts from
 * the fake is what the catalog and the recorded fixtures say, and /videoplayback behaves like
 * googlevideo (signature and n checks, expiry, ranges, failures).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import ytdl from "@distube/ytdl-core";
import { CATALOG, catalogVideo, PLAIN_TITLE, VIDEO_IDS } from "./catalog.ts";
import { RECORDED_FIXTURES, recordedDetails } from "./fixtures.ts";
import { LIVE_DASH_REPRESENTATIONS, LIVE_VARIANTS } from "./live-manifest.ts";
import { largeMediaBytes, MEDIA_ITAGS, type MediaItag } from "./media.ts";
import { type FakeYouTube, startFakeYouTube } from "./server.ts";

/** ytdl-core's per-id caches (~1 s), missing from its typings. */
const ytdlCaches = (ytdl as unknown as { cache: { info: Map<string, unknown>; watch: Map<string, unknown> } })
  .cache;

function clearYtdlCaches(): void {
  ytdlCaches.info.clear();
  ytdlCaches.watch.clear();
}

type RequestFn = (url: string, options?: object) => Promise<unknown>;
const ytdlUtils = require("@distube/ytdl-core/lib/utils") as { request: RequestFn };

const LARGE_BYTES = 3 * 1024 * 1024 + 5;
const EXTERNAL_ID = "External001";
const EXTERNAL = { url: "http://127.0.0.1:9/media/big.mp4", bytes: 512 * 1024 * 1024, itag: 18 } as const;
let fake: FakeYouTube;
let realRequest: RequestFn;

beforeAll(async () => {
  fake = await startFakeYouTube({
    slowWatchDelayMs: 60_000,
    largeMedia: { itag: 18, bytes: LARGE_BYTES },
    externalMedia: { [EXTERNAL_ID]: EXTERNAL },
  });
  // youtubei POSTs ignore the `rewriteRequest`/`fetch` options, so ytdl-core's one request
  // function is routed instead: path and query kept, scheme and host swapped for the fake.
  realRequest = ytdlUtils.request;
  ytdlUtils.request = (url, options) => {
    const target = new URL(url);
    return realRequest(`${fake.origin}${target.pathname}${target.search}`, options);
  };
  // The recorded 2020 players have an n-function ytdl-core cannot parse; the test preload
  // (src/sources/youtube/undici-shim.ts) keeps its warning from saving the player to a file.
}, 180_000);

afterAll(async () => {
  ytdlUtils.request = realRequest;
  await fake.stop();
});

beforeEach(() => {
  clearYtdlCaches();
  fake.reset();
});

/** `["WEB"]` (formats from the watch page) or ytdl-core's defaults (four youtubei POSTs). */
type Clients = ["WEB"] | "default";
const WEB_ONLY: Clients = ["WEB"];
const DEFAULT_CLIENTS: Clients = "default";

function getInfo(id: string, clients: Clients = WEB_ONLY): Promise<ytdl.videoInfo> {
  // ytdl-core treats maxRetries 0 as "unset" (3): a tiny backoff keeps 5xx retries fast instead.
  const requestOptions = {
    maxRetries: 1,
    backoff: { inc: 1, max: 1 },
  } as ytdl.getInfoOptions["requestOptions"];
  const playerClients = clients === "default" ? undefined : clients;
  return ytdl.getInfo(`https://www.youtube.com/watch?v=${id}`, { playerClients, requestOptions });
}

function fileBytes(itag: MediaItag): Uint8Array<ArrayBuffer> {
  const file = fake.media.get(itag);
  if (!file) throw new Error(`no media for itag ${itag}`);
  return new Uint8Array(readFileSync(file.path));
}

function formatOf(info: ytdl.videoInfo, itag: number): ytdl.videoFormat {
  const format = info.formats.find((f) => f.itag === itag);
  if (!format) throw new Error(`no format ${itag}`);
  return format;
}

describe("generated media", () => {
  test("each file is real media whose streams match the declared format", async () => {
    for (const itag of MEDIA_ITAGS) {
      const file = fake.media.get(itag);
      if (!file) throw new Error(`missing itag ${itag}`);
      expect(file.size).toBeLessThan(1024 * 1024);
      const proc = Bun.spawn(["ffprobe", "-v", "error", "-show_streams", "-of", "json", file.path]);
      const probe = (await new Response(proc.stdout).json()) as {
        streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
      };
      const video = probe.streams.find((s) => s.codec_type === "video");
      const audio = probe.streams.find((s) => s.codec_type === "audio");
      expect(Boolean(video)).toBe(file.hasVideo);
      expect(Boolean(audio)).toBe(file.hasAudio);
      if (video) expect([video.width, video.height]).toEqual([file.width, file.height]);
      const codecs = [video?.codec_name, audio?.codec_name].filter(Boolean).join(",");
      expect(codecs).toBe({ 18: "h264,aac", 137: "h264", 248: "vp9", 140: "aac", 251: "opus" }[itag]);
      expect(file.durationMs).toBeGreaterThanOrEqual(5900);
    }
  });
});

describe("catalog videos through ytdl-core", () => {
  test.each([
    ["WEB", WEB_ONLY],
    ["default clients", DEFAULT_CLIENTS],
  ])("the plain video gives its details, chapters and five formats (%s)", async (_name, clients) => {
    const expected = catalogVideo(VIDEO_IDS.plain);
    const info = await getInfo(VIDEO_IDS.plain, clients);
    const details = info.videoDetails;
    expect(details.title).toBe(PLAIN_TITLE);
    expect(details.author.name).toBe(expected?.channel.name ?? "");
    expect(details.author.id).toBe(expected?.channel.id ?? "");
    expect(details.lengthSeconds).toBe("6");
    expect(details.viewCount).toBe("9876543210");
    expect(details.publishDate).toBe("2021-07-04");
    expect(details.description).toBe(expected?.description ?? "");
    expect(details.thumbnails.map((t) => t.url)).toEqual(expected?.thumbnails.map((t) => t.url) ?? []);
    expect(details.chapters).toEqual([
      { title: "Intro", start_time: 0 },
      { title: "The middle part", start_time: 2 },
      { title: "Outro 🎬", start_time: 4 },
    ]);
    expect(info.formats.map((f) => f.itag).sort()).toEqual([...MEDIA_ITAGS].sort());
    for (const itag of MEDIA_ITAGS) {
      const format = formatOf(info, itag);
      const file = fake.media.get(itag);
      expect(format.mimeType).toBe(file?.mimeType ?? "");
      expect(format.contentLength).toBe(String(file?.size));
      expect([format.hasVideo, format.hasAudio]).toEqual([file?.hasVideo ?? false, file?.hasAudio ?? false]);
      expect(format.url.startsWith(`${fake.origin}/videoplayback?`)).toBe(true);
    }
  });

  test("the default clients each POST to youtubei, the WEB client reads the watch page only", async () => {
    await getInfo(VIDEO_IDS.plain, DEFAULT_CLIENTS);
    const clients = fake.hits.filter("youtubei", VIDEO_IDS.plain).map((h) => h.clientName);
    expect(clients.sort()).toEqual(["ANDROID", "IOS", "TVHTML5", "WEB_EMBEDDED_PLAYER"]);
    fake.reset();
    clearYtdlCaches();
    await getInfo(VIDEO_IDS.plain, WEB_ONLY);
    expect(fake.hits.count("youtubei")).toBe(0);
    expect(fake.hits.count("watch", VIDEO_IDS.plain)).toBe(1);
  });

  test("a ciphered format deciphered by ytdl-core is served, byte for byte", async () => {
    const info = await getInfo(VIDEO_IDS.cipher, DEFAULT_CLIENTS);
    expect(info.formats.map((f) => f.itag).sort()).toEqual([...MEDIA_ITAGS].sort());
    for (const itag of [18, 251] as const) {
      const response = await fetch(formatOf(info, itag).url);
      expect(response.status).toBe(200);
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(fileBytes(itag));
    }
  });

  test("the raw ciphered URL, or one with an untransformed n, is refused with 403", async () => {
    const response = await fetch(`${fake.origin}/youtubei/v1/player?id=${VIDEO_IDS.cipher}`, {
      method: "POST",
      body: JSON.stringify({ videoId: VIDEO_IDS.cipher, context: { client: { clientName: "WEB" } } }),
    });
    const body = (await response.json()) as { streamingData: { formats: { signatureCipher: string }[] } };
    const cipher = new URLSearchParams(body.streamingData.formats[0]?.signatureCipher ?? "");
    const raw = cipher.get("url") ?? "";
    expect((await fetch(raw)).status).toBe(403);
    expect((await fetch(`${raw}&sig=${cipher.get("s")}`)).status).toBe(403);

    const info = await getInfo(VIDEO_IDS.cipher);
    const good = new URL(formatOf(info, 18).url);
    expect((await fetch(good)).status).toBe(200);
    good.searchParams.set("n", new URL(raw).searchParams.get("n") ?? "");
    expect((await fetch(good)).status).toBe(403);
  });

  test("ytdl-core's own chunked download of a video-only format gets the whole file", async () => {
    const info = await getInfo(VIDEO_IDS.cipher);
    const stream = ytdl.downloadFromInfo(info, { format: formatOf(info, 137), dlChunkSize: 200_000 });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(fileBytes(137));
    expect(fake.hits.filter("media", VIDEO_IDS.cipher).every((h) => h.headers.range !== undefined)).toBe(
      true,
    );
    expect(fake.hits.count("media", VIDEO_IDS.cipher)).toBe(Math.ceil(fileBytes(137).length / 200_001));
  });

  const failing = CATALOG.filter((video) => video.expectedError !== undefined);
  test.each(failing.map((video) => [video.id, video.expectedError ?? ""]))(
    "%s makes ytdl-core fail with %p",
    async (id, message) => {
      await expect(getInfo(id, DEFAULT_CLIENTS)).rejects.toThrow(message);
    },
  );

  test("a failing origin is asked again: ytdl-core retries 5xx (maxRetries 1 → 2 requests)", async () => {
    await expect(getInfo(VIDEO_IDS.failingWatch)).rejects.toThrow("Status code: 500");
    expect(fake.hits.count("watch", VIDEO_IDS.failingWatch)).toBe(2);
  });

  test("the live video is live; ytdl-core keeps one DASH format and drops the HLS ones", async () => {
    const info = await getInfo(VIDEO_IDS.liveNow, DEFAULT_CLIENTS);
    expect(info.videoDetails.isLiveContent).toBe(true);
    expect((info.videoDetails as unknown as { isLive?: boolean }).isLive).toBe(true);
    const last = LIVE_DASH_REPRESENTATIONS[LIVE_DASH_REPRESENTATIONS.length - 1];
    expect(info.formats.map((f) => f.itag)).toEqual([last?.itag ?? -1]);
    const manifests = fake.hits.filter("manifest", VIDEO_IDS.liveNow).map((h) => h.path.split("/")[3]);
    expect(new Set(manifests)).toEqual(new Set(["dash", "hls_variant"]));
  });

  test("the live HLS variant playlist names an itag per variant", async () => {
    const info = await getInfo(VIDEO_IDS.liveNow);
    const hls = (info.player_response.streamingData as unknown as { hlsManifestUrl: string }).hlsManifestUrl;
    const playlist = await (await fetch(hls)).text();
    const itags = [...playlist.matchAll(/\/itag\/(\d+)\//g)].map((m) => Number(m[1]));
    expect(itags).toEqual(LIVE_VARIANTS.map((v) => v.itag));
  });

  test("the first extraction of the expiring video gives 403 URLs, the next one fresh URLs", async () => {
    const first = await getInfo(VIDEO_IDS.expiredOnce);
    expect((await fetch(formatOf(first, 18).url)).status).toBe(403);
    clearYtdlCaches();
    const second = await getInfo(VIDEO_IDS.expiredOnce);
    expect((await fetch(formatOf(second, 18).url)).status).toBe(200);
  });
});

describe("/videoplayback", () => {
  async function urlOf(id: string, itag: number): Promise<string> {
    return formatOf(await getInfo(id), itag).url;
  }

  test("answers ranges with 206 and Content-Range, and 416 past the end", async () => {
    const url = await urlOf(VIDEO_IDS.plain, 140);
    const bytes = fileBytes(140);
    const size = bytes.length;
    const cases: [string, number, number][] = [
      ["bytes=0-99", 0, 99],
      ["bytes=1000-", 1000, size - 1],
      ["bytes=-500", size - 500, size - 1],
      [`bytes=10-${size + 50}`, 10, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const response = await fetch(url, { headers: { range } });
      expect(response.status).toBe(206);
      expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/${size}`);
      expect(response.headers.get("content-length")).toBe(String(end - start + 1));
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes.slice(start, end + 1));
    }
    const past = await fetch(url, { headers: { range: `bytes=${size}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${size}`);
  });

  test("HEAD gives the headers of the matching GET", async () => {
    const url = await urlOf(VIDEO_IDS.plain, 18);
    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("video/mp4");
    expect(head.headers.get("content-length")).toBe(String(fake.media.get(18)?.size));
    const partial = await fetch(url, { method: "HEAD", headers: { range: "bytes=5-9" } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get("content-length")).toBe("5");
  });

  test("the failing media video answers 503", async () => {
    expect((await fetch(await urlOf(VIDEO_IDS.mediaUnavailable, 18))).status).toBe(503);
  });

  test("the audio-refusing video answers 503 for its audio formats only", async () => {
    expect((await fetch(await urlOf(VIDEO_IDS.audioUnavailable, 140))).status).toBe(503);
    expect((await fetch(await urlOf(VIDEO_IDS.audioUnavailable, 251))).status).toBe(503);
    expect((await fetch(await urlOf(VIDEO_IDS.audioUnavailable, 137))).status).toBe(200);
  });

  test("the truncated media video drops the connection mid-body", async () => {
    const response = await fetch(await urlOf(VIDEO_IDS.mediaTruncated, 18));
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });

  test("a client that goes away mid-body is seen as an aborted media request", async () => {
    const url = await urlOf(VIDEO_IDS.mediaTrickle, 18);
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(first?.value?.length).toBeGreaterThan(0);
    controller.abort();
    const hit = await fake.hits.onMediaAborted(VIDEO_IDS.mediaTrickle);
    expect(hit.aborted).toBe(true);
  });

  test("the large video serves deterministic bytes of the configured size", async () => {
    const info = await getInfo(VIDEO_IDS.large);
    const format = formatOf(info, 18);
    expect(format.contentLength).toBe(String(LARGE_BYTES));
    const response = await fetch(format.url, { headers: { range: `bytes=${LARGE_BYTES - 100}-` } });
    expect(response.status).toBe(206);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(
      largeMediaBytes(LARGE_BYTES - 100, LARGE_BYTES - 1),
    );
    expect(largeMediaBytes(16, 23)).toEqual(new Uint8Array([16, 0, 0, 0, 0, 0, 0, 0]));
  });
});

describe("external media", () => {
  test("declares the external size and redirects a valid media URL to the other origin", async () => {
    const format = formatOf(await getInfo(EXTERNAL_ID), 18);
    expect(format.contentLength).toBe(String(EXTERNAL.bytes));
    expect(format.url.startsWith(`${fake.origin}/videoplayback?`)).toBe(true);
    const response = await fetch(format.url, { redirect: "manual", headers: { range: "bytes=0-9" } });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(EXTERNAL.url);
  });

  test("checks the media URL before redirecting", async () => {
    const url = new URL(formatOf(await getInfo(EXTERNAL_ID), 18).url);
    url.searchParams.set("sig", "forged");
    expect((await fetch(url, { redirect: "manual" })).status).toBe(403);
  });

  test("refuses a catalog id as an external video", async () => {
    await expect(startFakeYouTube({ externalMedia: { [VIDEO_IDS.plain]: EXTERNAL } })).rejects.toBeInstanceOf(
      RangeError,
    );
  });
});

describe("the slow origin", () => {
  test("stops waiting when the client aborts the watch page request", async () => {
    const url = `${fake.origin}/watch?v=${VIDEO_IDS.slowWatch}`;
    await expect(fetch(url, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    const hit = await fake.hits.onAborted("watch", VIDEO_IDS.slowWatch);
    expect(hit.videoId).toBe(VIDEO_IDS.slowWatch);
  });

  test("answers after the configured delay", async () => {
    const quick = await startFakeYouTube({ slowWatchDelayMs: 150 });
    try {
      const started = performance.now();
      const response = await fetch(`${quick.origin}/watch?v=${VIDEO_IDS.slowWatch}`);
      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await quick.stop();
    }
  });
});

describe("recorded 2020 pages", () => {
  const playable = RECORDED_FIXTURES.filter((f) => f.formatCount !== undefined);
  const refused = RECORDED_FIXTURES.filter((f) => f.expectedError !== undefined);

  for (const [name, clients] of [
    ["WEB", WEB_ONLY],
    ["default clients", DEFAULT_CLIENTS],
  ] as const) {
    test.each(playable.map((f) => [f.name, f]))(
      `%s parses to its recorded title and formats (${name})`,
      async (_n, f) => {
        const info = await getInfo(f.id, clients);
        const recorded = recordedDetails(f.name);
        expect(info.videoDetails.title).toBe(recorded.title);
        expect(info.videoDetails.author.name).toBe(recorded.author);
        expect(info.formats.length).toBe(f.formatCount ?? -1);
      },
    );

    test.each(refused.map((f) => [f.name, f]))(
      `%s is refused with the recorded reason (${name})`,
      async (_n, f) => {
        await expect(getInfo(f.id, clients)).rejects.toThrow(f.expectedError ?? "");
      },
    );
  }

  test("the cipher fixture is Adele - Hello", () => {
    expect(recordedDetails("cipher")).toEqual({ title: "Adele - Hello", author: "AdeleVEVO" });
  });
});
