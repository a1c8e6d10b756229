import { afterAll, beforeAll, expect, test } from "bun:test";
import { fakePlaylist, PLAYLIST_IDS } from "../../fake-youtube/playlists.ts";
import { startRedis, type TestRedis } from "../support/redis-server.ts";
import { type Stack, startStack } from "../support/stack.ts";

// Two instances behind one Redis: list pages are cached there, and a cursor of one works on the other.
let redis: TestRedis;
let a: Stack;
let b: Stack;
beforeAll(async () => {
  redis = await startRedis();
  const env = {
    REDIS_URL: redis.url,
    DOWNTUBE_TOKEN_SECRETS: "shared-lists-secret-of-at-least-32-chars",
    DOWNTUBE_REDIS_TIMEOUT_MS: "2000",
    DOWNTUBE_UPSTREAM_TIMEOUT_MS: "5000",
  };
  [a, b] = await Promise.all([startStack(env), startStack(env)]);
}, 20_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

interface Page {
  data: {
    playlist: {
      videos: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: { id: string } }[];
      };
    } | null;
  };
}

const read = (stack: Stack, url: string, first: number, after?: string) =>
  fetch(stack.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `query ($url: String!, $first: Int, $after: String) {
        playlist(url: $url) { videos(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }
      }`,
      variables: { url, first, after },
    }),
  }).then((r) => r.json() as Promise<Page>);

const browses = (stack: Stack) =>
  stack.youtube.hits.all.filter((hit) => hit.path === "/youtubei/v1/browse").length;

test("pages one instance read are answered by the other from Redis, and its cursors go on there", async () => {
  const ids = (fakePlaylist(PLAYLIST_IDS.long)?.entries ?? []).map((entry) => entry.id);
  const first = await read(a, PLAYLIST_IDS.long, 150);
  expect(browses(a)).toBe(2);
  const again = await read(b, PLAYLIST_IDS.long, 150);
  expect(again.data.playlist?.videos.edges.map((edge) => edge.node.id)).toEqual(ids.slice(0, 150));
  expect(browses(b)).toBe(0);
  const rest = await read(b, PLAYLIST_IDS.long, 200, first.data.playlist?.videos.pageInfo.endCursor ?? "");
  expect(rest.data.playlist?.videos.edges.map((edge) => edge.node.id)).toEqual(ids.slice(150));
  expect(rest.data.playlist?.videos.pageInfo.hasNextPage).toBe(false);
  expect(browses(b)).toBe(1); // the third YouTube page, which nobody had read
});

test("two instances reading an uncached list at once ask YouTube once between them", async () => {
  const [one, two] = await Promise.all([read(a, PLAYLIST_IDS.mixed, 5), read(b, PLAYLIST_IDS.mixed, 5)]);
  expect(one.data.playlist?.videos.edges.length).toBe(5);
  expect(two.data.playlist?.videos.edges.length).toBe(5);
  const mixed = [...a.youtube.hits.all, ...b.youtube.hits.all].filter(
    (hit) => hit.path === "/youtubei/v1/browse",
  );
  expect(mixed.length).toBe(4); // the three of the test before, and this list's one page
});
