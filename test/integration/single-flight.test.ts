import { afterAll, beforeAll, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { type Stack, startStack } from "../support/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

test("100 concurrent queries for one uncached video make exactly one extraction", async () => {
  stack.youtube.hits.reset();
  const results = await Promise.all(
    Array.from({ length: 100 }, () =>
      stack.client
        .query(gql`query ($url: String!) { video(url: $url) { id title } }`, { url: VIDEO_IDS.cipher })
        .toPromise(),
    ),
  );
  expect(results.every((r) => r.data?.video?.id === VIDEO_IDS.cipher)).toBe(true);
  expect(stack.youtube.hits.extractions(VIDEO_IDS.cipher)).toBe(1);

  // Answered from the cache afterwards: still one.
  await stack.client
    .query(gql`query ($url: String!) { video(url: $url) { id } }`, { url: VIDEO_IDS.cipher })
    .toPromise();
  expect(stack.youtube.hits.extractions(VIDEO_IDS.cipher)).toBe(1);
});
