/**
 * The simulated `/api/timedtext`: every format YouTube offers comes from the one source text of
 * a track (`captions.ts`), so a client may ask for any of them and read the same cues.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  CAPTION_VIDEO_IDS,
  captionTracksOf,
  type FakeCaptionTrack,
  trackQuery,
  translatedText,
} from "./captions.ts";
import { type FakeYouTube, startFakeYouTube } from "./server.ts";

let fake: FakeYouTube;
beforeAll(async () => {
  fake = await startFakeYouTube();
});
afterAll(() => fake.stop());

const [english, , automatic] = captionTracksOf(CAPTION_VIDEO_IDS.captions) as FakeCaptionTrack[];

async function get(track: FakeCaptionTrack | undefined, extra: string): Promise<Response> {
  if (track === undefined) throw new Error("the captioned video lost a track");
  return fetch(`${fake.origin}/api/timedtext?${trackQuery(CAPTION_VIDEO_IDS.captions, track)}${extra}`);
}

/** [start ms, end ms] of each cue, read from each format's own markup. */
const times = {
  json3: (body: string) =>
    (
      JSON.parse(body) as {
        events: { tStartMs: number; dDurationMs: number; segs?: unknown; aAppend?: number }[];
      }
    ).events
      .filter((e) => e.segs !== undefined && e.aAppend === undefined)
      .map((e) => [e.tStartMs, e.tStartMs + e.dDurationMs]),
  srv3: (body: string) =>
    [...body.matchAll(/<p t="(\d+)" d="(\d+)">/g)].map((m) => [Number(m[1]), Number(m[1]) + Number(m[2])]),
  xml: (body: string) =>
    [...body.matchAll(/<text start="([\d.]+)" dur="([\d.]+)">/g)].map((m) => [
      Math.round(Number(m[1]) * 1000),
      Math.round((Number(m[1]) + Number(m[2])) * 1000),
    ]),
  vtt: (body: string) =>
    [...body.matchAll(/(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})/g)].map((m) => {
      const ms = (h = "", mi = "", s = "", f = "") =>
        ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 + Number(f);
      return [ms(m[1], m[2], m[3], m[4]), ms(m[5], m[6], m[7], m[8])];
    }),
};

describe("simulated timedtext", () => {
  test("json3, srv3, vtt and the default XML carry the same cue times for each track", async () => {
    for (const track of [english, automatic]) {
      const expected = track?.cues.map((c) => [c.startMs, c.startMs + c.durationMs]);
      expect(times.json3(await (await get(track, "&fmt=json3")).text())).toEqual(expected ?? []);
      expect(times.srv3(await (await get(track, "&fmt=srv3")).text())).toEqual(expected ?? []);
      expect(times.vtt(await (await get(track, "&fmt=vtt")).text())).toEqual(expected ?? []);
      expect(times.xml(await (await get(track, "")).text())).toEqual(expected ?? []);
    }
  });

  test("escapes text per format: once in srv3, twice in the default XML", async () => {
    const srv3 = await (await get(english, "&fmt=srv3")).text();
    expect(srv3).toContain("Hello &amp; welcome to the &lt;i&gt;test&lt;/i&gt;, where 1 &lt; 2");
    const xml = await (await get(english, "")).text();
    expect(xml).toContain("Hello &amp;amp; welcome");
  });

  test("translates a translatable track with tlang and refuses the others", async () => {
    const body = await (await get(english, "&fmt=json3&tlang=de")).json();
    expect(body.events[0].segs[0].utf8).toBe(translatedText(english?.cues[0]?.text ?? "", "de"));
    const [, german] = captionTracksOf(CAPTION_VIDEO_IDS.captions);
    expect((await get(german, "&fmt=json3&tlang=fr")).status).toBe(400);
    expect((await get(english, "&fmt=json3&tlang=xx")).status).toBe(400);
  });
});
