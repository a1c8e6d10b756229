import { describe, expect, test } from "bun:test";
import { bytesOf, createHarness, FORMATS } from "../support/download-harness.ts";

const file = (itag: number) => ({ kind: "file", itag }) as const;
const merge = {
  kind: "merge",
  video: FORMATS.video.itag,
  audio: FORMATS.audio.itag,
  container: "mp4",
} as const;
const bytes = async (response: Response): Promise<Uint8Array<ArrayBuffer>> =>
  new Uint8Array(await response.arrayBuffer());
const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe("a file served by the gateway, in process", () => {
  test("answers 200 with the whole file, its exact length and a strong ETag", async () => {
    const h = createHarness();
    const response = await h.redeem(await h.token(file(18)));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("1000");
    expect(response.headers.get("etag")).toMatch(/^"youtube-Harness0001-18-1000"$/);
    expect(response.headers.get("content-disposition")).toContain('filename="Harness.mp4"');
    expect(await bytes(response)).toEqual(bytesOf(18, 1000));
    expect(h.activeSlots()).toBe(0);
  });

  test("answers a range with 206, Content-Range and only those bytes, asked of the origin alone", async () => {
    const h = createHarness();
    const response = await h.redeem(await h.token(file(18)), { headers: { Range: "bytes=100-199" } });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect(response.headers.get("content-length")).toBe("100");
    expect(await bytes(response)).toEqual(bytesOf(18, 1000).subarray(100, 200));
    expect(h.opens.map((o) => o.range)).toEqual([{ start: 100, end: 199 }]);
  });

  test("answers 416 naming the size for a range past the end, without asking the origin for bytes", async () => {
    const h = createHarness();
    const response = await h.redeem(await h.token(file(18)), { headers: { Range: "bytes=5000-" } });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe("bytes */1000");
    expect(await errorCode(response)).toBe("RANGE_NOT_SATISFIABLE");
    expect(h.opens).toEqual([]);
  });

  test("answers HEAD with the GET's headers and no body, opening nothing and holding no slot", async () => {
    const h = createHarness();
    const token = await h.token(file(18));
    const head = await h.redeem(token, { method: "HEAD", headers: { Range: "bytes=0-9" } });
    expect(head.status).toBe(206);
    expect(head.headers.get("content-length")).toBe("10");
    expect(head.body).toBeNull();
    expect(h.opens).toEqual([]);
    expect(h.activeSlots()).toBe(0);
  });

  test("answers an empty file with headers alone", async () => {
    const h = createHarness();
    const response = await h.redeem(await h.token(file(FORMATS.empty.itag)));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("0");
    expect(h.opens).toEqual([]);
  });

  test("extracts again once when the origin refuses an expired media URL, and goes on", async () => {
    const h = createHarness();
    h.origin.expireOnce = true;
    const response = await h.redeem(await h.token(file(18)));
    expect(response.status).toBe(200);
    expect(await bytes(response)).toEqual(bytesOf(18, 1000));
    expect(h.opens.map((o) => o.extraction)).toEqual([1, 2]);
  });

  test("turns an origin failure before the first byte into a JSON error and frees the slot", async () => {
    const h = createHarness();
    h.origin.failBeforeFirstByte = true;
    const response = await h.redeem(await h.token(file(18)));
    expect(response.status).toBe(502);
    expect(await errorCode(response)).toBe("UPSTREAM_ERROR");
  });

  test("errors the body when the origin dies after the first byte: the declared length shows the cut", async () => {
    const h = createHarness();
    h.origin.cutAfter = 10;
    const response = await h.redeem(await h.token(file(18)));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("1000");
    expect(bytes(response)).rejects.toThrow();
  });

  test("lets a maxUses token serve its copies' worth of bytes, then answers 410 TOKEN_USED", async () => {
    const h = createHarness();
    const token = await h.token(file(18), { maxUses: 1 });
    expect((await bytes(await h.redeem(token))).length).toBe(1000);
    const again = await h.redeem(token);
    expect(again.status).toBe(410);
    expect(await errorCode(again)).toBe("TOKEN_USED");
    const head = await h.redeem(token, { method: "HEAD" });
    expect(head.status).toBe(410);
  });

  test("refuses a token that is not one, without touching the origin", async () => {
    const h = createHarness();
    const response = await h.redeem("not.a.token");
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("TOKEN_INVALID");
    expect(h.extractions()).toBe(0);
  });

  test("answers TOO_MANY_STREAMS once every slot is held, and frees the slot when a body ends", async () => {
    const h = createHarness({ maxStreams: 1 });
    const token = await h.token(file(18));
    const first = await h.redeem(token);
    const second = await h.redeem(token);
    expect(second.status).toBe(503);
    expect(await errorCode(second)).toBe("TOO_MANY_STREAMS");
    await bytes(first);
    expect((await h.redeem(token)).status).toBe(200);
  });
});

describe("a file carried by nginx (offload mode), in process", () => {
  const location = {
    scheme: "https",
    address: "203.0.113.9:443",
    host: "media.example",
    path: "/18?v=1",
  } as const;

  test("answers an empty 200 whose X-Accel-Redirect names the location, opening nothing", async () => {
    const h = createHarness({ offload: "nginx" });
    h.origin.location = location;
    const response = await h.redeem(await h.token(file(18)));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("0");
    expect(response.headers.get("x-accel-redirect")).toStartWith("/_downtube/fetch/");
    expect(response.headers.get("x-accel-redirect")).toEndWith("/18?v=1");
    expect(h.opens).toEqual([]);
    expect(h.activeSlots()).toBe(0);
  });

  test("names the refresh location when nginx hands a refused download back", async () => {
    const h = createHarness({ offload: "nginx" });
    h.origin.location = location;
    const response = await h.redeem(await h.token(file(18)), { attempt: "refresh" });
    expect(response.headers.get("x-accel-redirect")).toStartWith("/_downtube/refetch/");
    expect(h.extractions()).toBe(1);
  });

  test("serves a maxUses token itself: nginx cannot count its bytes", async () => {
    const h = createHarness({ offload: "nginx" });
    h.origin.location = location;
    const response = await h.redeem(await h.token(file(18), { maxUses: 2 }));
    expect(response.headers.get("x-accel-redirect")).toBeNull();
    expect(await bytes(response)).toEqual(bytesOf(18, 1000));
  });

  test("serves the file itself when the source cannot say where the bytes are", async () => {
    const h = createHarness({ offload: "nginx" });
    const response = await h.redeem(await h.token(file(18)));
    expect(response.headers.get("x-accel-redirect")).toBeNull();
    expect(await bytes(response)).toEqual(bytesOf(18, 1000));
  });
});

describe("a download ffmpeg makes (a merge), in process", () => {
  test("hands the runner one job reading both formats whole, and streams its output without a length", async () => {
    const h = createHarness();
    const response = await h.redeem(await h.token(merge));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("video/mp4");
    expect(response.headers.get("content-length")).toBeNull();
    expect(response.headers.get("accept-ranges")).toBeNull();
    const out = await bytes(response);
    expect(out.length).toBe(1000);
    expect(h.jobs.map((j) => [j.kind, j.container, j.streams.map((s) => s.codec)])).toEqual([
      ["merge", "mp4", ["copy", "copy"]],
    ]);
    expect(h.opens.map((o) => [o.itag, o.range])).toEqual([
      [137, { start: 0, end: 699 }],
      [140, { start: 0, end: 299 }],
    ]);
    expect(h.activeSlots()).toBe(0);
  });

  test("ignores Range and answers HEAD without starting ffmpeg or opening the origin", async () => {
    const h = createHarness();
    const head = await h.redeem(await h.token(merge), { method: "HEAD", headers: { Range: "bytes=0-1" } });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-range")).toBeNull();
    expect(h.jobs).toEqual([]);
    expect(h.opens).toEqual([]);
  });

  test("answers MERGE_UNAVAILABLE without ffmpeg, before touching the origin", async () => {
    const h = createHarness();
    h.ffmpeg.present = false;
    const response = await h.redeem(await h.token(merge));
    expect(response.status).toBe(503);
    expect(await errorCode(response)).toBe("MERGE_UNAVAILABLE");
    expect(h.opens).toEqual([]);
  });

  test("is a JSON error when ffmpeg fails before its first byte", async () => {
    const h = createHarness();
    h.ffmpeg.fail = true;
    const response = await h.redeem(await h.token(merge));
    expect(response.status).toBe(502);
    expect(await errorCode(response)).toBe("UPSTREAM_ERROR");
    expect(h.activeSlots()).toBe(0);
  });

  test("counts both inputs against a maxUses token, then answers TOKEN_USED to GET and HEAD", async () => {
    const h = createHarness();
    const token = await h.token(merge, { maxUses: 1 });
    expect((await bytes(await h.redeem(token))).length).toBe(1000);
    expect((await h.redeem(token)).status).toBe(410);
    expect((await h.redeem(token, { method: "HEAD" })).status).toBe(410);
  });

  test("extracts again once when the origin refuses an input's expired URL", async () => {
    const h = createHarness();
    h.origin.expireOnce = true;
    const response = await h.redeem(await h.token(merge));
    expect((await bytes(response)).length).toBe(1000);
    expect(h.extractions()).toBe(2);
  });
});

describe("a clip, in process", () => {
  const range = { startSeconds: 2, endSeconds: 4.5 };

  test("of a file hands the runner one clip job of that time range, copying the format's streams", async () => {
    const h = createHarness();
    const response = await h.redeem(await h.token({ ...file(18), clip: range }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("video/mp4");
    expect(response.headers.get("content-length")).toBeNull();
    await response.arrayBuffer();
    expect(h.jobs.map((j) => [j.kind, j.container, j.timeRange, j.streams.map((s) => s.type)])).toEqual([
      ["clip", "mp4", range, ["video", "audio"]],
    ]);
    // No index and no readable moov here: the bytes are read from the start.
    expect(h.opens.every((o) => o.itag === 18 && o.range.start === 0)).toBe(true);
  });

  test("of a merge cuts both inputs to the same time range", async () => {
    const h = createHarness();
    const response = await h.redeem(await h.token({ ...merge, clip: range }));
    await response.arrayBuffer();
    expect(h.jobs.map((j) => [j.kind, j.timeRange, j.inputs.length])).toEqual([["clip", range, 2]]);
  });

  test("answers HEAD without starting ffmpeg or opening the origin", async () => {
    const h = createHarness();
    const head = await h.redeem(await h.token({ ...file(18), clip: range }), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(h.jobs).toEqual([]);
    expect(h.opens).toEqual([]);
  });

  test("answers FFMPEG_UNAVAILABLE without ffmpeg", async () => {
    const h = createHarness();
    h.ffmpeg.present = false;
    const response = await h.redeem(await h.token({ ...file(18), clip: range }));
    expect(response.status).toBe(503);
    expect(await errorCode(response)).toBe("FFMPEG_UNAVAILABLE");
  });
});
