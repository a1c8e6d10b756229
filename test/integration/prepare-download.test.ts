import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { catalogVideo, VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import type { MediaFile, MediaItag } from "../../fake-youtube/media.ts";
import { requestDownload, type Ticket } from "../support/downloads.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const TTL = 600;
const MAX_TTL = 900;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ DOWNTUBE_TOKEN_TTL: String(TTL), DOWNTUBE_TOKEN_MAX_TTL: String(MAX_TTL) });
});
afterAll(() => stack.stop());

const prepareOn = (target: Stack, input: Record<string, unknown>) => requestDownload(target, input);
const prepare = (input: Record<string, unknown>) => prepareOn(stack, input);

async function ticketFor(input: Record<string, unknown>): Promise<Ticket> {
  const { data, error } = await prepare(input);
  expect(error).toBeUndefined();
  if (data === undefined) throw new Error("no data");
  return data.prepareDownload;
}

/** The origin's files, filtered, best first: height, then frame rate, then bitrate. */
function originFiles(keep: (file: MediaFile) => boolean): MediaFile[] {
  return [...stack.youtube.media.values()]
    .filter(keep)
    .sort(
      (a, b) => (b.height ?? 0) - (a.height ?? 0) || (b.fps ?? 0) - (a.fps ?? 0) || b.bitrate - a.bitrate,
    );
}

function only<T>(items: readonly T[]): T {
  const [first] = items;
  if (first === undefined) throw new Error("the catalog has no such format");
  return first;
}

const videoOnly = (f: MediaFile) => f.hasVideo && !f.hasAudio;
const fileOf = (itag: number) => {
  const file = stack.youtube.media.get(itag as MediaItag);
  if (file === undefined) throw new Error(`the origin serves no itag ${itag}`);
  return file;
};

describe("prepareDownload format selection", () => {
  test("defaults to the best muxed mp4", async () => {
    const expected = only(originFiles((f) => f.hasVideo && f.hasAudio && f.container === "mp4"));
    const ticket = await ticketFor({ url: VIDEO_IDS.plain });
    expect(ticket.format.itag).toBe(expected.itag);
    expect(ticket.format).toMatchObject({ hasVideo: true, hasAudio: true, container: "mp4" });
  });

  test("picks exactly the itag it is asked for", async () => {
    for (const itag of [137, 140] as const) {
      const ticket = await ticketFor({ url: VIDEO_IDS.plain, format: { itag } });
      expect(ticket.format.itag).toBe(itag);
      expect(ticket.mimeType).toBe(fileOf(itag).contentType);
    }
  });

  test("picks the audio-only format of the asked container", async () => {
    const expected = only(originFiles((f) => !f.hasVideo && f.container === "webm"));
    const ticket = await ticketFor({
      url: VIDEO_IDS.plain,
      format: { kind: "AUDIO_ONLY", container: "webm" },
    });
    expect(ticket.format.itag).toBe(expected.itag);
    expect(ticket.format).toMatchObject({ hasVideo: false, hasAudio: true, container: "webm" });
    expect(ticket.mimeType).toBe("audio/webm");
  });

  test("picks the best video-only format with HIGHEST and the worst with LOWEST", async () => {
    const ranked = originFiles(videoOnly);
    expect(ranked.length).toBeGreaterThan(1);
    const highest = await ticketFor({
      url: VIDEO_IDS.plain,
      format: { kind: "VIDEO_ONLY", quality: "HIGHEST" },
    });
    const lowest = await ticketFor({
      url: VIDEO_IDS.plain,
      format: { kind: "VIDEO_ONLY", quality: "LOWEST" },
    });
    expect(highest.format.itag).toBe(only(ranked).itag);
    expect(lowest.format.itag).toBe(only(ranked.toReversed()).itag);
    expect(lowest.format.itag).not.toBe(highest.format.itag);
  });

  test("leaves out formats taller than maxHeight", async () => {
    const tallest = only(originFiles((f) => f.hasVideo));
    const maxHeight = (tallest.height ?? 0) - 1;
    const expected = only(originFiles((f) => f.hasVideo && (f.height ?? 0) <= maxHeight));
    const ticket = await ticketFor({ url: VIDEO_IDS.plain, format: { maxHeight } });
    expect(ticket.format.itag).toBe(expected.itag);
    expect(ticket.format.height ?? 0).toBeLessThanOrEqual(maxHeight);
  });

  test("answers FORMAT_NOT_FOUND when no format matches", async () => {
    const shortest = Math.min(...originFiles(videoOnly).map((f) => f.height ?? 0));
    const unoffered = [22, 299, 313].find((itag) => !stack.youtube.media.has(itag as MediaItag));
    for (const format of [
      { itag: unoffered },
      { kind: "MUXED", container: "webm" },
      { kind: "VIDEO_ONLY", maxHeight: shortest - 1 },
    ]) {
      const { data, error } = await prepare({ url: VIDEO_IDS.plain, format });
      expect(data?.prepareDownload ?? null).toBeNull();
      expect(errorCodes(error)).toEqual(["FORMAT_NOT_FOUND"]);
    }
  });
});

describe("prepareDownload refusals", () => {
  test("answers LIVE_NOT_SUPPORTED for a live stream", async () => {
    expect(catalogVideo(VIDEO_IDS.liveNow)?.isLive).toBe(true);
    const { error } = await prepare({ url: `https://www.youtube.com/watch?v=${VIDEO_IDS.liveNow}` });
    expect(errorCodes(error)).toEqual(["LIVE_NOT_SUPPORTED"]);
  });

  test("answers LIVE_NOT_SUPPORTED, not UPSTREAM_ERROR, for a live stream with HLS formats only", async () => {
    expect(catalogVideo(VIDEO_IDS.liveHlsOnly)?.hlsOnly).toBe(true);
    const { error } = await prepare({ url: `https://www.youtube.com/watch?v=${VIDEO_IDS.liveHlsOnly}` });
    expect(errorCodes(error)).toEqual(["LIVE_NOT_SUPPORTED"]);
  });

  test("answers BAD_USER_INPUT for expiresIn 0 and maxUses 0", async () => {
    for (const extra of [{ expiresIn: 0 }, { expiresIn: -5 }, { maxUses: 0 }]) {
      const { data, error } = await prepare({ url: VIDEO_IDS.plain, ...extra });
      expect(data?.prepareDownload ?? null).toBeNull();
      expect(errorCodes(error)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  test("answers UNSUPPORTED_URL for a URL of another site", async () => {
    const { error } = await prepare({ url: "https://vimeo.com/76979871" });
    expect(errorCodes(error)).toEqual(["UNSUPPORTED_URL"]);
  });
});

describe("the download ticket", () => {
  test("has an absolute URL on the gateway's own origin that names the token", async () => {
    const ticket = await ticketFor({ url: VIDEO_IDS.plain });
    expect(ticket.token.length).toBeGreaterThan(0);
    expect(ticket.url).toBe(new URL(`/download/${ticket.token}`, stack.gateway.url).href);
    expect(ticket.url.startsWith(stack.gateway.url.origin)).toBe(true);
  });

  test("builds the URL from PUBLIC_URL, keeping its path, with or without a trailing slash", async () => {
    for (const publicUrl of ["https://dl.example.test/base/", "https://dl.example.test/base"]) {
      const behindProxy = await startStack({ PUBLIC_URL: publicUrl });
      try {
        const { data, error } = await prepareOn(behindProxy, { url: VIDEO_IDS.plain });
        expect(error).toBeUndefined();
        const ticket = data?.prepareDownload;
        expect(ticket?.url).toBe(`https://dl.example.test/base/download/${ticket?.token}`);
      } finally {
        await behindProxy.stop();
      }
    }
  });

  test("expires after the default TTL, and a longer expiresIn is clamped to the maximum", async () => {
    const cases = [
      { expiresIn: undefined, seconds: TTL },
      { expiresIn: 30, seconds: 30 },
      { expiresIn: MAX_TTL * 10, seconds: MAX_TTL },
    ];
    for (const { expiresIn, seconds } of cases) {
      const before = Math.floor(Date.now() / 1000);
      const ticket = await ticketFor({ url: VIDEO_IDS.plain, expiresIn });
      const after = Math.floor(Date.now() / 1000);
      const expiresAt = Date.parse(ticket.expiresAt) / 1000;
      expect(expiresAt).toBeGreaterThanOrEqual(before + seconds);
      expect(expiresAt).toBeLessThanOrEqual(after + seconds);
    }
  });

  test("names the file after the title, with the extension of the container", async () => {
    const title = catalogVideo(VIDEO_IDS.plain)?.title ?? "";
    // Quotes and slashes cannot be in a file name: they become spaces, runs of spaces collapse.
    const stem = title.replace(/["/]/g, " ").replace(/\s+/g, " ").trim();
    const cases = [
      { format: undefined, extension: "mp4" },
      { format: { itag: 248 }, extension: "webm" },
      { format: { itag: 140 }, extension: "m4a" },
      { format: { itag: 251 }, extension: "webm" },
    ];
    for (const { format, extension } of cases) {
      const ticket = await ticketFor({ url: VIDEO_IDS.plain, format });
      expect(ticket.filename).toBe(`${stem}.${extension}`);
      expect(ticket.video).toEqual({ id: VIDEO_IDS.plain, title });
    }
  });

  test("sanitises a filename override and makes its extension follow the container", async () => {
    const typed = await ticketFor({ url: VIDEO_IDS.plain, filename: "my clip.webm" });
    expect(typed.filename).toBe("my clip.mp4");

    const hostile = await ticketFor({
      url: VIDEO_IDS.plain,
      format: { itag: 140 },
      filename: '../../etc/pa"ss\r\nwd\u202e',
    });
    expect(hostile.filename.endsWith(".m4a")).toBe(true);
    expect(hostile.filename).not.toMatch(/[/\\"\r\n\u202e]/);
    expect(hostile.filename.startsWith(".")).toBe(false);
    expect(hostile.filename).toContain("etc");
  });

  test("declares the exact size and mime type the origin serves", async () => {
    for (const itag of [18, 137, 248, 140, 251]) {
      const file = fileOf(itag);
      const ticket = await ticketFor({ url: VIDEO_IDS.plain, format: { itag } });
      expect(ticket.contentLength).toBe(file.size);
      expect(ticket.format.contentLength).toBe(file.size);
      expect(ticket.mimeType).toBe(file.contentType);
      expect(ticket.format.mimeType).toBe(file.mimeType);
    }
  });
});

describe("disposition", () => {
  test("is attachment by default and inline when asked, on the download response", async () => {
    const attachment = await ticketFor({ url: VIDEO_IDS.plain });
    const inline = await ticketFor({ url: VIDEO_IDS.plain, disposition: "INLINE" });
    const [saved, shown] = await Promise.all(
      [attachment, inline].map((ticket) => fetch(ticket.url, { method: "HEAD" })),
    );
    expect(saved?.status).toBe(200);
    expect(shown?.status).toBe(200);
    expect(saved?.headers.get("content-disposition")).toStartWith("attachment;");
    expect(shown?.headers.get("content-disposition")).toStartWith("inline;");
    expect(shown?.headers.get("content-disposition")).toContain(`filename*=UTF-8''`);
  });
});
