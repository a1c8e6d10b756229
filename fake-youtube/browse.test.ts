/**
 * The simulated playlists and channel, checked with youtubei.js's own high-level calls
 * (`getPlaylist`, `getContinuation`, `resolveURL`, `getChannel().getVideos()`), and the refusals
 * YouTube answers: an ERROR alert for a private list, 400 for a continuation it did not issue,
 * 404 for a handle it does not know.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Innertube } from "youtubei.js";
import { FAKE_CHANNEL } from "./catalog.ts";
import { CHANNEL_HANDLE, CHANNEL_UPLOAD_ENTRIES, fakePlaylist, PLAYLIST_IDS } from "./playlists.ts";
import { type FakeYouTube, startFakeYouTube } from "./server.ts";

let fake: FakeYouTube;
let youtube: Innertube;
beforeAll(async () => {
  fake = await startFakeYouTube();
  const routed = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const target = new URL(url.pathname + url.search, fake.origin);
    return input instanceof Request ? fetch(new Request(target, input), init) : fetch(target, init);
  };
  youtube = await Innertube.create({
    fetch: routed as typeof fetch,
    generate_session_locally: true,
    retrieve_innertube_config: false,
    retrieve_player: false,
  });
});
afterAll(() => fake.stop());

const browse = (body: Record<string, unknown>) =>
  fetch(new URL("/youtubei/v1/browse", fake.origin), { method: "POST", body: JSON.stringify(body) });

test("youtubei.js reads a long playlist to its end through its own continuations", async () => {
  let page = await youtube.getPlaylist(PLAYLIST_IDS.long);
  const ids = page.items.map((item) => (item as { id?: string }).id);
  while (page.has_continuation) {
    page = await page.getContinuation();
    ids.push(...page.items.map((item) => (item as { id?: string }).id));
  }
  expect(ids).toEqual((fakePlaylist(PLAYLIST_IDS.long)?.entries ?? []).map((entry) => entry.id));
});

test("youtubei.js resolves the channel's handle and reads its Videos tab", async () => {
  const endpoint = await youtube.resolveURL(`https://www.youtube.com/${CHANNEL_HANDLE}`);
  expect(endpoint.payload.browseId).toBe(FAKE_CHANNEL.id);
  const videos = await (await youtube.getChannel(FAKE_CHANNEL.id)).getVideos();
  expect(videos.videos.map((video) => (video as { video_id?: string }).video_id)).toEqual(
    CHANNEL_UPLOAD_ENTRIES.slice(0, 30).map((entry) => entry.id),
  );
});

test("a private list answers an ERROR alert, which youtubei.js throws", async () => {
  await expect(youtube.getPlaylist(PLAYLIST_IDS.private)).rejects.toThrow("This playlist is private.");
});

test("a continuation token it did not issue is refused with 400 INVALID_ARGUMENT", async () => {
  const first = await youtube.getPlaylist(PLAYLIST_IDS.long);
  expect(first.has_continuation).toBe(true);
  const forged = Buffer.from(`playlist:${PLAYLIST_IDS.long}|100|forged`).toString("base64url");
  const response = await browse({ continuation: forged });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { error: { status: string } }).error.status).toBe("INVALID_ARGUMENT");
});

test("a handle it does not know answers 404 to resolve_url", async () => {
  const response = await fetch(new URL("/youtubei/v1/navigation/resolve_url", fake.origin), {
    method: "POST",
    body: JSON.stringify({ url: "https://www.youtube.com/@nobody-at-all" }),
  });
  expect(response.status).toBe(404);
});
