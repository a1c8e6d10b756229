import { describe, expect, test } from "bun:test";
import { ERRORS_ENTRY } from "../../src/download/zip-archive.ts";
import type { Delivery } from "../../src/tokens/download-claims.ts";
import { bytesOf, createHarness, FORMATS, VIDEO_ID } from "../support/download-harness.ts";

const OTHER = "Other000001";
const GONE = "Gone0000001";
const archive = (ids: string[], format?: Record<string, unknown>): Delivery => ({
  kind: "archive",
  videoIds: ids.join(""),
  item: { format: format ?? { itag: FORMATS.muxed.itag } },
});
const body = async (response: Response) => new Uint8Array(await response.arrayBuffer());
/** Whether `needle` stands in `haystack` (an entry's name or bytes inside a stored ZIP). */
const holds = (haystack: Uint8Array, needle: Uint8Array | string) =>
  Buffer.from(haystack).includes(typeof needle === "string" ? Buffer.from(needle) : Buffer.from(needle));

describe("an archive, in process", () => {
  test("streams its files one after another, stored, with an exact Content-Length", async () => {
    const h = createHarness();
    const response = await h.redeem(await h.token(archive([VIDEO_ID, OTHER]), { filename: "list.zip" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const zip = await body(response);
    expect(Number(response.headers.get("content-length"))).toBe(zip.length);
    expect(holds(zip, "01 - Harness.mp4")).toBe(true);
    expect(holds(zip, `02 - Video ${OTHER}.mp4`)).toBe(true);
    expect(holds(zip, bytesOf(18, 1000))).toBe(true);
    expect(h.opens.map((o) => o.video)).toEqual([VIDEO_ID, OTHER]);
    expect(h.activeSlots()).toBe(0);
  });

  test("names an item that cannot be planned in downtube-errors.txt, and keeps the length exact", async () => {
    const h = createHarness();
    const response = await h.redeem(await h.token(archive([GONE, VIDEO_ID])));
    const zip = await body(response);
    expect(Number(response.headers.get("content-length"))).toBe(zip.length);
    expect(holds(zip, ERRORS_ENTRY)).toBe(true);
    expect(holds(zip, "VIDEO_NOT_FOUND")).toBe(true);
    expect(holds(zip, "02 - Harness.mp4")).toBe(true);
  });

  test("answers HEAD with the length alone, opening no item", async () => {
    const h = createHarness();
    const token = await h.token(archive([VIDEO_ID, OTHER]));
    const head = await h.redeem(token, { method: "HEAD" });
    expect(head.body).toBeNull();
    expect(h.opens).toEqual([]);
    const get = await body(await h.redeem(token));
    expect(Number(head.headers.get("content-length"))).toBe(get.length);
  });

  test("with an exact length, cuts the response when a later item fails rather than claim a success", async () => {
    const h = createHarness();
    h.origin.refuseVideo = OTHER;
    const response = await h.redeem(await h.token(archive([VIDEO_ID, OTHER])));
    expect(response.status).toBe(200);
    expect(body(response)).rejects.toThrow();
  });

  test("is a JSON error when its only item fails before any byte", async () => {
    const h = createHarness();
    h.origin.refuseVideo = VIDEO_ID;
    const response = await h.redeem(await h.token(archive([VIDEO_ID])));
    expect(response.status).toBe(502);
  });

  test("made by ffmpeg, has no length and skips an item that fails, naming it", async () => {
    const h = createHarness();
    h.origin.refuseVideo = OTHER;
    const response = await h.redeem(await h.token(archive([VIDEO_ID, OTHER], { kind: "MERGED" })));
    expect(response.headers.get("content-length")).toBeNull();
    const zip = await body(response);
    expect(holds(zip, "01 - Harness.mp4")).toBe(true);
    expect(holds(zip, `02 - Video ${OTHER}.mp4`)).toBe(true);
    expect(holds(zip, ERRORS_ENTRY)).toBe(true);
    expect(h.jobs.map((job) => job.kind)).toEqual(["merge", "merge"]);
    expect(h.activeSlots()).toBe(0);
  });

  test("holds one stream slot however many items it has", async () => {
    const h = createHarness({ maxStreams: 1 });
    const response = await h.redeem(await h.token(archive([VIDEO_ID, OTHER, VIDEO_ID])));
    expect(response.status).toBe(200);
    await body(response);
    expect(h.activeSlots()).toBe(0);
  });

  test("counts a maxUses token's bytes over the whole archive", async () => {
    const h = createHarness();
    const token = await h.token(archive([VIDEO_ID, OTHER]), { maxUses: 1 });
    expect((await h.redeem(token)).status).toBe(200);
    await body(await h.redeem(token)).catch(() => undefined);
    expect((await h.redeem(token)).status).toBe(410);
  });
});
