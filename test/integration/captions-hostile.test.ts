import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CAPTION_VIDEO_IDS } from "../../fake-youtube/captions.ts";
import { parseCaptionFile, prepareCaptions } from "../support/caption-files.ts";
import { type Stack, startStack } from "../support/stack.ts";

const MAX_CAPTION_BYTES = 1024 * 1024;
/** Long enough for an extraction on a busy machine, short enough to wait for in a test. */
const TIMEOUT_MS = 5000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    DOWNTUBE_MAX_CAPTION_BYTES: String(MAX_CAPTION_BYTES),
    DOWNTUBE_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
  });
});
afterAll(() => stack.stop());

async function download(languageCode: string, format: "VTT" | "SRT") {
  const { ticket, codes } = await prepareCaptions(stack, {
    url: CAPTION_VIDEO_IDS.hostile,
    captions: { languageCode, format },
  });
  expect(codes).toEqual([]);
  if (ticket === undefined) throw new Error("no ticket");
  return fetch(ticket.url);
}

describe("hostile caption tracks", () => {
  test("broken times, controls, tags, an arrow and a huge cue make a clean file of the sane cues", async () => {
    for (const format of ["VTT", "SRT"] as const) {
      const response = await download("en", format);
      expect(response.status).toBe(200);
      const text = await response.text();
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
      const cues = parseCaptionFile(text, format === "VTT" ? "vtt" : "srt");
      expect(cues.map((c) => [c.start, c.end])).toEqual([
        [0.2, 1],
        [1, 2],
        [2, 3],
        [3, 4],
        [5, 6],
      ]);
      expect(cues[0]?.text).toBe("control[31m characters");
      expect(cues[1]?.text).toBe(
        format === "VTT" ? "an arrow --&gt; inside\nand blank lines" : "an arrow -> inside\nand blank lines",
      );
      expect(cues[2]?.text).toBe(
        format === "VTT" ? "alert(1)tags &amp; entities" : "alert(1)tags & entities",
      );
      expect(cues[3]?.text.length).toBeLessThan(300_000);
      expect(cues[4]?.text).toBe("the normal cue");
    }
  });

  test("an endless body is cut at DOWNTUBE_MAX_CAPTION_BYTES: a 502 naming the limit, not a hang", async () => {
    const response = await download("fr", "VTT");
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("UPSTREAM_ERROR");
    expect(body.error.message).toContain(`larger than ${MAX_CAPTION_BYTES} bytes`);
  });

  test("a body that is not captions at all is a 502 saying so", async () => {
    const response = await download("es", "SRT");
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: "UPSTREAM_ERROR" });
    expect(body.error.message).toContain("not JSON");
  });

  test("a track announced on another host is refused without a request: a 502 naming it", async () => {
    const response = await download("it", "VTT");
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: "UPSTREAM_ERROR" });
    expect(body.error.message).toContain("not a YouTube host");
  });

  test(
    "a body that never comes is UPSTREAM_TIMEOUT once the upstream budget is spent",
    async () => {
      const response = await download("pt", "VTT");
      expect(response.status).toBe(504);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error).toMatchObject({ code: "UPSTREAM_TIMEOUT" });
      expect(body.error.message).toContain("caption track");
    },
    3 * TIMEOUT_MS,
  );
});
