import { describe, expect, test } from "bun:test";
import type { AudioDelivery } from "../../src/tokens/download-claims.ts";
import { createHarness, FORMATS } from "../support/download-harness.ts";

const mp3: AudioDelivery = {
  kind: "audio",
  itag: FORMATS.audio.itag,
  file: "mp3",
  copy: false,
  bitrateKbps: 192,
  metadata: true,
};
const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe("an audio file ffmpeg makes, in process", () => {
  test("hands the runner one audio job reading its source whole, its ID3 tag first, and streams it without a length", async () => {
    const h = createHarness();
    const response = await h.redeem(await h.token(mp3, { filename: "Harness.mp3" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("audio/mpeg");
    expect(response.headers.get("content-length")).toBeNull();
    expect(response.headers.get("content-disposition")).toContain('filename="Harness.mp3"');
    await response.arrayBuffer();
    expect(h.jobs.map((j) => [j.kind, j.container, j.streams.map((s) => s.codec)])).toEqual([
      ["audio", "mp3", ["libmp3lame"]],
    ]);
    expect(new TextDecoder().decode(h.jobs[0]?.prefix?.subarray(0, 3))).toBe("ID3");
    expect(h.opens.map((o) => [o.itag, o.range])).toEqual([[140, { start: 0, end: 299 }]]);
    expect(h.activeSlots()).toBe(0);
  });

  test("ignores Range and answers HEAD without starting ffmpeg or opening the origin", async () => {
    const h = createHarness();
    const head = await h.redeem(await h.token(mp3), { method: "HEAD", headers: { Range: "bytes=0-1" } });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("audio/mpeg");
    expect(head.headers.get("content-range")).toBeNull();
    expect([h.jobs, h.opens]).toEqual([[], []]);
  });

  test("answers FFMPEG_UNAVAILABLE without ffmpeg, before touching the origin", async () => {
    const h = createHarness();
    h.ffmpeg.present = false;
    const response = await h.redeem(await h.token(mp3));
    expect(response.status).toBe(503);
    expect(await errorCode(response)).toBe("FFMPEG_UNAVAILABLE");
    expect(h.opens).toEqual([]);
  });

  test("counts the source's bytes against a maxUses token, then answers TOKEN_USED to GET and HEAD", async () => {
    const h = createHarness();
    const token = await h.token({ ...mp3, file: "m4a", copy: true, bitrateKbps: undefined }, { maxUses: 1 });
    const first = await h.redeem(token);
    expect(first.headers.get("content-type")).toBe("audio/mp4");
    await first.arrayBuffer();
    expect(await errorCode(await h.redeem(token))).toBe("TOKEN_USED");
    expect((await h.redeem(token, { method: "HEAD" })).status).toBe(410);
  });

  test("with metadata off, the job has neither tags nor a prefix", async () => {
    const h = createHarness();
    await (await h.redeem(await h.token({ ...mp3, metadata: false }))).arrayBuffer();
    expect([h.jobs[0]?.prefix, h.jobs[0]?.metadata]).toEqual([undefined, undefined]);
  });

  test("takes the largest thumbnail that can be fetched and is a JPEG as the MP3's cover", async () => {
    const h = createHarness();
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 7, 7, 7);
    h.origin.thumbnails = [
      { url: "https://img.test/maxres.jpg", width: 1280 },
      { url: "https://img.test/sd.jpg", width: 640, bytes: new TextEncoder().encode("<html>not an image") },
      { url: "https://img.test/hq.jpg", width: 480, bytes: jpeg },
    ];
    await (await h.redeem(await h.token(mp3))).arrayBuffer();
    expect(h.thumbnailFetches).toEqual([
      "https://img.test/maxres.jpg",
      "https://img.test/sd.jpg",
      "https://img.test/hq.jpg",
    ]);
    const tag = Buffer.from(h.jobs[0]?.prefix ?? new Uint8Array());
    expect(tag.indexOf(Buffer.from(jpeg))).toBeGreaterThan(0);
  });

  test("goes without a cover when no thumbnail can be had, and fetches none for HEAD or without tags", async () => {
    const h = createHarness();
    h.origin.thumbnails = [{ url: "https://img.test/gone.jpg", width: 640 }];
    const response = await h.redeem(await h.token(mp3));
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(Buffer.from(h.jobs[0]?.prefix ?? new Uint8Array()).includes("APIC")).toBe(false);
    await h.redeem(await h.token(mp3), { method: "HEAD" });
    await (await h.redeem(await h.token({ ...mp3, metadata: false }))).arrayBuffer();
    expect(h.thumbnailFetches).toEqual(["https://img.test/gone.jpg"]);
  });
});
