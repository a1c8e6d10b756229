import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { CAPTION_VIDEO_IDS, TRANSLATION_LANGUAGES } from "../../fake-youtube/captions.ts";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { parseCaptionFile, prepareCaptions } from "../support/caption-files.ts";
import { type Stack, startStack } from "../support/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const CAPTIONS = gql`
  query Captions($url: String!) {
    video(url: $url) {
      captions { languageCode name kind translatable }
      captionTranslationLanguages { code name }
    }
  }
`;

async function ticketUrl(input: Record<string, unknown>) {
  const { ticket, codes } = await prepareCaptions(stack, input);
  expect(codes).toEqual([]);
  if (ticket === undefined) throw new Error("no ticket");
  return ticket;
}

describe("Video.captions", () => {
  test("lists manual and automatic tracks, translatable or not, and the translation languages", async () => {
    const { data, error } = await stack.client
      .query(CAPTIONS, { url: CAPTION_VIDEO_IDS.captions })
      .toPromise();
    expect(error).toBeUndefined();
    expect(data.video.captions).toEqual([
      { languageCode: "en", name: "English", kind: "MANUAL", translatable: true },
      { languageCode: "de", name: "Deutsch", kind: "MANUAL", translatable: false },
      { languageCode: "en", name: "English (auto-generated)", kind: "AUTO", translatable: true },
    ]);
    expect(data.video.captionTranslationLanguages).toEqual(TRANSLATION_LANGUAGES.map((l) => ({ ...l })));
  });

  test("is empty for a video without captions", async () => {
    const { data, error } = await stack.client.query(CAPTIONS, { url: VIDEO_IDS.plain }).toPromise();
    expect(error).toBeUndefined();
    expect(data.video).toEqual({ captions: [], captionTranslationLanguages: [] });
  });
});

describe("caption files", () => {
  test("a VTT file: header, no cue numbers, exact times, escaped text, styling removed", async () => {
    const ticket = await ticketUrl({ url: CAPTION_VIDEO_IDS.captions, captions: { languageCode: "en" } });
    expect(ticket.mimeType).toBe("text/vtt; charset=utf-8");
    expect(ticket.filename).toBe("Captioned video.en.vtt");
    expect(ticket.format).toBeNull();
    const response = await fetch(ticket.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    const text = await response.text();
    expect(Number(response.headers.get("content-length"))).toBe(Buffer.byteLength(text));
    const cues = parseCaptionFile(text, "vtt");
    expect(cues).toHaveLength(3);
    expect(cues[0]).toEqual({ start: 0.5, end: 2, text: "Hello &amp; welcome to the test, where 1 &lt; 2" });
    expect(cues[1]).toEqual({ start: 2.5, end: 4, text: "Two lines\nof text" });
    expect(cues[2]).toEqual({ start: 4, end: 5.75, text: "Café, 東京 🎬" });
  });

  test("an SRT file: numbered cues, comma milliseconds, plain text without tags or entities", async () => {
    const ticket = await ticketUrl({
      url: CAPTION_VIDEO_IDS.captions,
      captions: { languageCode: "de", format: "SRT" },
    });
    expect(ticket.mimeType).toBe("application/x-subrip; charset=utf-8");
    expect(ticket.filename).toBe("Captioned video.de.srt");
    const text = await (await fetch(ticket.url)).text();
    expect(text).toContain("00:00:01,000 --> 00:00:03,000");
    expect(parseCaptionFile(text, "srt")).toEqual([
      { start: 1, end: 3, text: "Hallo Welt" },
      { start: 3, end: 5, text: "Zweite Zeile" },
    ]);
    const english = await ticketUrl({
      url: CAPTION_VIDEO_IDS.captions,
      captions: { languageCode: "en", format: "SRT" },
    });
    const first = parseCaptionFile(await (await fetch(english.url)).text(), "srt")[0];
    expect(first?.text).toBe("Hello & welcome to the test, where 1 < 2");
  });

  test("the automatic track: word segments joined, YouTube's line-break events left out", async () => {
    const ticket = await ticketUrl({
      url: CAPTION_VIDEO_IDS.captions,
      captions: { languageCode: "en", kind: "AUTO" },
    });
    const cues = parseCaptionFile(await (await fetch(ticket.url)).text(), "vtt");
    expect(cues).toEqual([
      { start: 0, end: 2.5, text: "this is automatic" },
      { start: 2.5, end: 5, text: "speech recognition text" },
    ]);
  });

  test("a translation: YouTube's translated text, named Title.en-de", async () => {
    const ticket = await ticketUrl({
      url: CAPTION_VIDEO_IDS.captions,
      captions: { languageCode: "en", format: "SRT", translateTo: "de" },
    });
    expect(ticket.filename).toBe("Captioned video.en-de.srt");
    const cues = parseCaptionFile(await (await fetch(ticket.url)).text(), "srt");
    expect(cues.map((c) => c.text)).toEqual([
      "[de] Hello & welcome to the test, where 1 < 2",
      "[de] Two lines\nof text",
      "[de] Café, 東京 🎬",
    ]);
    const asked = stack.youtube.hits.filter("timedtext", CAPTION_VIDEO_IDS.captions).at(-1);
    expect(asked?.query).toMatchObject({ fmt: "json3", tlang: "de", lang: "en" });
  });

  test("Range and HEAD answer against the exact file", async () => {
    const ticket = await ticketUrl({ url: CAPTION_VIDEO_IDS.captions, captions: { languageCode: "en" } });
    const whole = new Uint8Array(await (await fetch(ticket.url)).arrayBuffer());
    const head = await fetch(ticket.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBe(whole.length);
    expect(head.headers.get("accept-ranges")).toBe("bytes");
    const part = await fetch(ticket.url, { headers: { Range: "bytes=10-29" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 10-29/${whole.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(whole.subarray(10, 30));
    const past = await fetch(ticket.url, { headers: { Range: `bytes=${whole.length}-` } });
    expect(past.status).toBe(416);
  });

  test("no track in that language is CAPTIONS_NOT_FOUND; an untranslatable one BAD_USER_INPUT", async () => {
    expect(
      (await prepareCaptions(stack, { url: CAPTION_VIDEO_IDS.captions, captions: { languageCode: "ko" } }))
        .codes,
    ).toEqual(["CAPTIONS_NOT_FOUND"]);
    expect(
      (await prepareCaptions(stack, { url: VIDEO_IDS.plain, captions: { languageCode: "en" } })).codes,
    ).toEqual(["CAPTIONS_NOT_FOUND"]);
    expect(
      (
        await prepareCaptions(stack, {
          url: CAPTION_VIDEO_IDS.captions,
          captions: { languageCode: "de", kind: "AUTO" },
        })
      ).codes,
    ).toEqual(["CAPTIONS_NOT_FOUND"]);
    const untranslatable = await prepareCaptions(stack, {
      url: CAPTION_VIDEO_IDS.captions,
      captions: { languageCode: "de", translateTo: "fr" },
    });
    expect(untranslatable.codes).toEqual(["BAD_USER_INPUT"]);
    expect(untranslatable.messages[0]).toContain("translateTo");
    const unknownLanguage = await prepareCaptions(stack, {
      url: CAPTION_VIDEO_IDS.captions,
      captions: { languageCode: "en", translateTo: "xx" },
    });
    expect(unknownLanguage.codes).toEqual(["BAD_USER_INPUT"]);
  });
});
