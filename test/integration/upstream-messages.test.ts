/**
 * What a client reads when YouTube fails: the user's terms, never a library's name (those stay in
 * the log), and, on a machine that cannot reach YouTube at all, that YouTube could not be reached.
 * Runs with the test run's extractors (`DOWNTUBE_YOUTUBE_EXTRACTORS`), as every YouTube-facing file.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { QUIRK_VIDEO_IDS } from "../../fake-youtube/extractor-quirks.ts";
import { type Stack, startStack, TEST_EXTRACTORS } from "../support/stack.ts";

const LIBRARY_NAMES = /ytdl|youtubei|distube|innertube/i;

let stack: Stack;
/** A stack whose YouTube origin is a closed port: the machine is offline as far as YouTube goes. */
let offline: Stack;

beforeAll(async () => {
  stack = await startStack();
  const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const origin = `http://127.0.0.1:${closed.port}`;
  closed.stop(true);
  offline = await startStack({ DOWNTUBE_YOUTUBE_ORIGIN: origin });
});

afterAll(async () => {
  await stack?.stop();
  await offline?.stop();
});

async function videoError(on: Stack, id: string): Promise<{ message: string; code: unknown }> {
  const answer = await fetch(on.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ video(url: "${id}") { title } }` }),
  });
  const body = (await answer.json()) as { errors?: { message: string; extensions: { code: unknown } }[] };
  const [error] = body.errors ?? [];
  if (error === undefined) throw new Error(`${id} answered without an error`);
  return { message: error.message, code: error.extensions.code };
}

test("an offline machine's UPSTREAM_ERROR says YouTube could not be reached; the log keeps the details", async () => {
  const error = await videoError(offline, VIDEO_IDS.plain);
  expect(error.code).toBe("UPSTREAM_ERROR");
  expect(error.message).toStartWith("YouTube could not be reached");
  expect(error.message).not.toMatch(LIBRARY_NAMES);
  // The operator's log names each extractor that tried, and the connection failure.
  const failures = offline.logs.filter(
    (line) => line.includes("extractor failed") || line.includes("upstream failure"),
  );
  expect(failures.some((line) => line.includes("ECONNREFUSED") || line.includes("Unable to connect"))).toBe(
    true,
  );
  for (const extractor of TEST_EXTRACTORS.split(","))
    expect(offline.logs.some((line) => line.includes(`"extractor":"${extractor}"`))).toBe(true);
});

test("failures of YouTube's answers name no library to the client", async () => {
  const failing = [
    VIDEO_IDS.failingWatch,
    VIDEO_IDS.liveHlsOnly,
    VIDEO_IDS.private,
    VIDEO_IDS.notFound,
    QUIRK_VIDEO_IDS.watchPageBroken,
    QUIRK_VIDEO_IDS.innertubeBroken,
    QUIRK_VIDEO_IDS.craftedN,
    QUIRK_VIDEO_IDS.craftedS,
  ];
  const messages: string[] = [];
  for (const id of failing) {
    const answer = await fetch(stack.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ video(url: "${id}") { title } }` }),
    });
    const body = (await answer.json()) as { errors?: { message: string }[] };
    messages.push(...(body.errors ?? []).map((e) => e.message));
  }
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.filter((m) => LIBRARY_NAMES.test(m))).toEqual([]);
});
