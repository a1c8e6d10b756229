import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { CATALOG, catalogVideo, VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const VIDEO = gql`
  query Video($url: String!, $filter: FormatSelector) {
    video(url: $url) {
      id
      url
      title
      description
      author { id name url verified }
      durationSeconds
      viewCount
      publishDate
      isLive
      thumbnails { url width height }
      chapters { title startSeconds }
      formats(filter: $filter) {
        itag mimeType container qualityLabel width height fps bitrate audioBitrate contentLength
        hasVideo hasAudio videoCodec audioCodec
      }
    }
  }
`;

interface VideoResult {
  video: {
    id: string;
    title: string;
    description: string | null;
    author: { id: string | null; name: string; verified: boolean };
    durationSeconds: number;
    viewCount: number | null;
    publishDate: string | null;
    isLive: boolean;
    thumbnails: { url: string; width: number; height: number }[];
    chapters: { title: string; startSeconds: number }[];
    formats: {
      itag: number;
      contentLength: number | null;
      hasVideo: boolean;
      hasAudio: boolean;
      height: number | null;
    }[];
  } | null;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ DOWNTUBE_UPSTREAM_TIMEOUT_MS: "2000", DOWNTUBE_MAX_BATCH: "4" });
});
afterAll(() => stack.stop());

const query = (url: string, filter?: object) =>
  stack.client.query<VideoResult>(VIDEO, { url, filter }).toPromise();

describe("video(url)", () => {
  test("answers every field of a plain video as the origin describes it", async () => {
    const expected = catalogVideo(VIDEO_IDS.plain);
    const { data, error } = await query(`https://www.youtube.com/watch?v=${VIDEO_IDS.plain}`);
    expect(error).toBeUndefined();
    expect(data?.video).toMatchObject({
      id: VIDEO_IDS.plain,
      title: expected?.title,
      description: expected?.description,
      author: { id: expected?.channel.id, name: expected?.channel.name, verified: true },
      durationSeconds: expected?.lengthSeconds,
      viewCount: expected?.viewCount,
      publishDate: expect.stringContaining(expected?.publishDate ?? "missing") as unknown as string,
      isLive: false,
      thumbnails: expected?.thumbnails.map((t) => ({ ...t })),
      chapters: expected?.chapters.map((c) => ({ ...c })),
    });
    expect(data?.video?.formats.map((f) => f.itag).sort()).toEqual([...(expected?.itags ?? [])].sort());
  });

  test("gives each format its exact size, the size the origin serves", async () => {
    const { data } = await query(VIDEO_IDS.plain);
    for (const format of data?.video?.formats ?? []) {
      const res = await fetch(
        `${stack.youtube.origin}/videoplayback?id=${VIDEO_IDS.plain}&itag=${format.itag}`,
        {
          method: "HEAD",
        },
      );
      expect(Number(format.contentLength)).toBeGreaterThan(0);
      if (res.ok) expect(Number(res.headers.get("content-length"))).toBe(Number(format.contentLength));
    }
  });

  test("deciphers signature-protected formats", async () => {
    const { data, error } = await query(`https://youtu.be/${VIDEO_IDS.cipher}`);
    expect(error).toBeUndefined();
    expect(data?.video?.formats.map((f) => f.itag).sort()).toEqual(
      [...(catalogVideo(VIDEO_IDS.cipher)?.itags ?? [])].sort(),
    );
  });

  test("filters formats: the best muxed mp4, audio only, a height cap", async () => {
    const best = await query(VIDEO_IDS.plain, { kind: "MUXED", container: "mp4", quality: "HIGHEST" });
    expect(best.data?.video?.formats.map((f) => [f.hasVideo, f.hasAudio])).toEqual([[true, true]]);
    const audio = await query(VIDEO_IDS.plain, { kind: "AUDIO_ONLY" });
    expect(audio.data?.video?.formats.length).toBeGreaterThan(0);
    expect(audio.data?.video?.formats.every((f) => !f.hasVideo && f.hasAudio)).toBe(true);
    const capped = await query(VIDEO_IDS.plain, { maxHeight: 400 });
    expect(capped.data?.video?.formats.every((f) => f.height === null || f.height <= 400)).toBe(true);
  });

  test("reports a live broadcast as live", async () => {
    const { data } = await query(`https://www.youtube.com/live/${VIDEO_IDS.liveNow}`);
    expect(data?.video?.isLive).toBe(true);
  });

  test("reports a live broadcast that offers HLS only as live, with no format", async () => {
    const { data, error } = await query(`https://www.youtube.com/live/${VIDEO_IDS.liveHlsOnly}`);
    expect(error).toBeUndefined();
    expect(data?.video?.isLive).toBe(true);
    expect(data?.video?.formats).toEqual([]);
    // Its details come from the extraction that found no format, not from a second one.
    expect(stack.youtube.hits.extractions(VIDEO_IDS.liveHlsOnly)).toBe(1);
  });

  test.each([
    [`https://www.youtube.com/watch?v=${VIDEO_IDS.plain}&list=PL1&t=5s`],
    [`https://m.youtube.com/watch?v=${VIDEO_IDS.plain}`],
    [`https://music.youtube.com/watch?v=${VIDEO_IDS.plain}&feature=share`],
    [`https://www.youtube.com/shorts/${VIDEO_IDS.plain}`],
    [`https://www.youtube.com/embed/${VIDEO_IDS.plain}?start=3`],
    [`youtu.be/${VIDEO_IDS.plain}?si=abc`],
  ])("finds the video behind %s", async (url) => {
    const { data } = await query(url);
    expect(data?.video?.id).toBe(VIDEO_IDS.plain);
  });

  test.each([
    [VIDEO_IDS.private, "VIDEO_PRIVATE"],
    [VIDEO_IDS.ageRestricted, "AGE_RESTRICTED"],
    [VIDEO_IDS.rental, "VIDEO_UNAVAILABLE"],
    [VIDEO_IDS.liveOffline, "VIDEO_UNAVAILABLE"],
    [VIDEO_IDS.unavailable, "VIDEO_NOT_FOUND"],
    [VIDEO_IDS.notFound, "VIDEO_NOT_FOUND"],
    [VIDEO_IDS.failingWatch, "UPSTREAM_ERROR"],
    [VIDEO_IDS.slowWatch, "UPSTREAM_TIMEOUT"],
  ])("answers %s with %s", async (id, code) => {
    const { data, error } = await query(id);
    expect(data?.video ?? null).toBeNull();
    expect(errorCodes(error)).toEqual([code]);
    expect(error?.graphQLErrors[0]?.path).toEqual(["video"]);
  });

  test.each([
    ["https://vimeo.com/76979871", "UNSUPPORTED_URL"],
    [`https://youtube.com.evil.example/watch?v=${VIDEO_IDS.plain}`, "UNSUPPORTED_URL"],
    ["not a url at all", "UNSUPPORTED_URL"],
    ["", "BAD_USER_INPUT"],
    ["x".repeat(5000), "BAD_USER_INPUT"],
  ])("refuses %p with %s and asks the origin nothing", async (url, code) => {
    stack.youtube.hits.reset();
    const { error } = await query(url);
    expect(errorCodes(error)).toEqual([code]);
    expect(stack.youtube.hits.extractions()).toBe(0);
  });

  test("never shows a stack trace to the client", async () => {
    const res = await fetch(stack.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ video(url: "${VIDEO_IDS.failingWatch}") { title } }` }),
    });
    const text = await res.text();
    expect(text).toContain("UPSTREAM_ERROR");
    expect(text).not.toMatch(/stack|\.ts:\d+|at [a-zA-Z]+ \(/);
  });
});

describe("videos(urls)", () => {
  const VIDEOS = gql`
    query Videos($urls: [String!]!) {
      videos(urls: $urls) { id title }
    }
  `;

  test("answers each URL; a bad one gives null and an error at its index", async () => {
    const { data, error } = await stack.client
      .query(VIDEOS, { urls: [VIDEO_IDS.plain, "https://vimeo.com/1", VIDEO_IDS.private, VIDEO_IDS.cipher] })
      .toPromise();
    expect(data?.videos.map((v: { id: string } | null) => v?.id ?? null)).toEqual([
      VIDEO_IDS.plain,
      null,
      null,
      VIDEO_IDS.cipher,
    ]);
    const byIndex = Object.fromEntries(
      (error?.graphQLErrors ?? []).map((e) => [e.path?.[1], e.extensions.code]),
    );
    expect(byIndex).toEqual({ 1: "UNSUPPORTED_URL", 2: "VIDEO_PRIVATE" });
  });

  test("refuses more URLs than DOWNTUBE_MAX_BATCH allows", async () => {
    stack.youtube.hits.reset();
    const urls = CATALOG.slice(0, 5).map((v) => v.id);
    const { data, error } = await stack.client.query(VIDEOS, { urls }).toPromise();
    expect(data?.videos ?? null).toBeNull();
    expect(errorCodes(error)).toEqual(["BAD_USER_INPUT"]);
    expect(stack.youtube.hits.extractions()).toBe(0);
  });
});
