import { describe, expect, test } from "bun:test";
import { createHarness, FORMATS } from "../support/download-harness.ts";

const VTT =
  "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nfirst\n\n00:00:01.000 --> 00:00:02.500\nsecond &amp; last\n\n";

/** The delivery of the manual track in `languageCode` as a file. */
const captionFile = (languageCode: string, format: "vtt" | "srt") =>
  ({ kind: "captions", languageCode, captionKind: "manual", format }) as const;

describe("a caption file, in process", () => {
  test("is the written VTT with its exact length, an ETag, and Range against it", async () => {
    const harness = createHarness();
    const token = await harness.token(captionFile("en", "vtt"));
    const whole = await harness.redeem(token);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    expect(whole.headers.get("content-length")).toBe(String(Buffer.byteLength(VTT)));
    expect(await whole.text()).toBe(VTT);
    const part = await harness.redeem(token, {
      headers: { Range: "bytes=0-5", "If-Range": whole.headers.get("etag") ?? "" },
    });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe("WEBVTT");
    expect(harness.activeSlots()).toBe(0);
  });

  test("HEAD reads the track to know the length, and sends no body", async () => {
    const harness = createHarness();
    const token = await harness.token(captionFile("en", "srt"));
    const head = await harness.redeem(token, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("application/x-subrip; charset=utf-8");
    expect(Number(head.headers.get("content-length"))).toBe(
      Buffer.byteLength(
        "1\n00:00:00,000 --> 00:00:01,000\nfirst\n\n2\n00:00:01,000 --> 00:00:02,500\nsecond & last\n\n",
      ),
    );
    expect(await head.text()).toBe("");
    expect(harness.captionReads).toEqual(["en"]);
  });

  test("a track the video no longer has is CAPTIONS_NOT_FOUND", async () => {
    const harness = createHarness();
    const token = await harness.token(captionFile("ko", "vtt"));
    const response = await harness.redeem(token);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("CAPTIONS_NOT_FOUND");
  });

  test("a maxUses token counts the caption file's bytes as a file's", async () => {
    const harness = createHarness();
    const token = await harness.token(
      { kind: "captions", languageCode: "en", captionKind: "manual", format: "vtt" },
      { maxUses: 1 },
    );
    expect(await (await harness.redeem(token)).text()).toBe(VTT);
    expect((await harness.redeem(token)).status).toBe(410);
  });
});

describe("embedded captions, in process", () => {
  const embedCaptions = [{ languageCode: "en", kind: "manual" as const }];

  test("a merge gains the track as a WebVTT input read only when ffmpeg starts", async () => {
    const harness = createHarness();
    const token = await harness.token({
      kind: "merge",
      video: FORMATS.video.itag,
      audio: FORMATS.audio.itag,
      container: "mp4",
      embedCaptions,
    });
    expect((await harness.redeem(token, { method: "HEAD" })).status).toBe(200);
    expect(harness.captionReads).toEqual([]);
    const response = await harness.redeem(token);
    const body = new Uint8Array(await response.arrayBuffer());
    // The fake ffmpeg writes its inputs one after another: the caption text comes last.
    expect(new TextDecoder().decode(body.subarray(-Buffer.byteLength(VTT)))).toBe(VTT);
    const [job] = harness.jobs;
    expect(job?.inputs.map((input) => input.demuxer)).toEqual([undefined, undefined, "webvtt"]);
    expect(job?.streams.at(-1)).toEqual({ input: 2, type: "subtitle", codec: "mov_text", language: "eng" });
  });

  test("a file with captions is made by ffmpeg: no Content-Length, its streams copied beside the track", async () => {
    const harness = createHarness();
    const token = await harness.token({ kind: "file", itag: FORMATS.muxed.itag, embedCaptions });
    const response = await harness.redeem(token, { headers: { Range: "bytes=0-9" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBeNull();
    await response.arrayBuffer();
    expect(harness.jobs[0]?.kind).toBe("remux");
    expect(harness.jobs[0]?.streams.map((s) => s.type)).toEqual(["video", "audio", "subtitle"]);
  });

  test("without ffmpeg a file with captions is FFMPEG_UNAVAILABLE", async () => {
    const harness = createHarness();
    harness.ffmpeg.present = false;
    const token = await harness.token({ kind: "file", itag: FORMATS.muxed.itag, embedCaptions });
    const response = await harness.redeem(token);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("FFMPEG_UNAVAILABLE");
  });
});
