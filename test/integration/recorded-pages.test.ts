import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { recordedDetails, recordedFixture } from "../../fake-youtube/fixtures.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

// Real YouTube pages recorded in 2020, served by the simulated origin, read by the real ytdl-core.
const VIDEO = gql`
  query ($url: String!) {
    video(url: $url) { id title isLive author { name } formats { itag mimeType } }
  }
`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe("recorded 2020 YouTube pages", () => {
  test.each(["regular", "cipher"] as const)("%s: title, channel and every format", async (name) => {
    const fixture = recordedFixture(name);
    const { data, error } = await stack.client
      .query(VIDEO, { url: `https://www.youtube.com/watch?v=${fixture.id}` })
      .toPromise();
    expect(error).toBeUndefined();
    expect(data.video.title).toBe(recordedDetails(name).title);
    expect(data.video.author.name).toBe(recordedDetails(name).author);
    expect(fixture.formatCount).toBeGreaterThan(0);
    expect(data.video.formats).toHaveLength(fixture.formatCount ?? 0);
    expect(data.video.formats.every((f: { mimeType: string }) => /^(video|audio)\//.test(f.mimeType))).toBe(
      true,
    );
  });

  test("live-now: reported as live", async () => {
    const { data, error } = await stack.client
      .query(VIDEO, { url: recordedFixture("live-now").id })
      .toPromise();
    expect(error).toBeUndefined();
    expect(data.video.title).toBe(recordedDetails("live-now").title);
    expect(data.video.isLive).toBe(true);
  });

  test.each([
    ["age-restricted", "AGE_RESTRICTED"],
    ["rental", "VIDEO_UNAVAILABLE"],
    ["private", "VIDEO_PRIVATE"],
    ["non-existent", "VIDEO_NOT_FOUND"],
  ] as const)("%s: answers %s", async (name, code) => {
    const { data, error } = await stack.client.query(VIDEO, { url: recordedFixture(name).id }).toPromise();
    expect(data?.video ?? null).toBeNull();
    expect(errorCodes(error)).toEqual([code]);
  });
});
