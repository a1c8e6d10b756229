import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { FAKE_CHANNEL } from "../../fake-youtube/catalog.ts";
import {
  CHANNEL_HANDLE,
  CHANNEL_UPLOAD_ENTRIES,
  fakePlaylist,
  LONG_PLAYLIST_LENGTH,
  PLAYLIST_IDS,
} from "../../fake-youtube/playlists.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const PLAYLIST = gql`
  query Playlist($url: String!, $first: Int, $after: String) {
    playlist(url: $url) {
      id url title description videoCount
      author { id name }
      thumbnails { url width height }
      videos(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { index id url title durationSeconds playable author { id name } thumbnails { url } } }
      }
    }
  }
`;

const CHANNEL = gql`
  query Channel($url: String!, $first: Int, $after: String) {
    channel(url: $url) {
      id name url
      thumbnails { url }
      videos(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { index id title durationSeconds playable author { id name } thumbnails { url } } }
      }
    }
  }
`;

interface Node {
  index: number;
  id: string;
  url: string;
  title: string;
  durationSeconds: number | null;
  playable: boolean;
  author: { id: string | null; name: string } | null;
  thumbnails: { url: string }[];
}
interface Connection {
  totalCount: number | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: Node }[];
}
interface PlaylistResult {
  playlist: {
    id: string;
    title: string;
    videoCount: number | null;
    author: { id: string | null; name: string } | null;
    videos: Connection;
  } | null;
}
interface ChannelResult {
  channel: { id: string; name: string; url: string; videos: Connection } | null;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ DOWNTUBE_UPSTREAM_TIMEOUT_MS: "5000" });
});
afterAll(() => stack.stop());

const playlistPage = (url: string, first?: number, after?: string) =>
  stack.client.query<PlaylistResult>(PLAYLIST, { url, first, after }).toPromise();
const channelPage = (url: string, first?: number, after?: string) =>
  stack.client.query<ChannelResult>(CHANNEL, { url, first, after }).toPromise();

/** Follows `endCursor` until `hasNextPage` is false, as a Relay client does; every page's entries. */
async function everyPage(read: (after: string | undefined) => Promise<Connection>): Promise<Connection[]> {
  const pages: Connection[] = [];
  let after: string | undefined;
  do {
    const page = await read(after);
    pages.push(page);
    after = page.pageInfo.endCursor ?? undefined;
  } while (pages.at(-1)?.pageInfo.hasNextPage && pages.length < 50);
  return pages;
}

const browseRequests = () =>
  stack.youtube.hits.all.filter((hit) => hit.path === "/youtubei/v1/browse").length;

describe("playlist(url)", () => {
  test("a client's cursor loop reads every entry of a long list exactly once, in order", async () => {
    const expected = fakePlaylist(PLAYLIST_IDS.long)?.entries ?? [];
    const pages = await everyPage(async (after) => {
      const result = await playlistPage(
        `https://www.youtube.com/playlist?list=${PLAYLIST_IDS.long}`,
        200,
        after,
      );
      expect(result.error).toBeUndefined();
      return result.data?.playlist?.videos as Connection;
    });
    const nodes = pages.flatMap((page) => page.edges.map((edge) => edge.node));
    expect(nodes.map((node) => node.id)).toEqual(expected.map((entry) => entry.id));
    expect(nodes.map((node) => node.index)).toEqual(expected.map((_, i) => i + 1));
    expect(pages.map((page) => page.edges.length)).toEqual([200, LONG_PLAYLIST_LENGTH - 200]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, false]);
    expect(pages[0]?.totalCount).toBe(LONG_PLAYLIST_LENGTH);
  });

  test("pages of the default size (50) line up with YouTube's pages of 100 without gaps or repeats", async () => {
    const pages = await everyPage(async (after) => {
      const result = await playlistPage(PLAYLIST_IDS.long, undefined, after);
      return result.data?.playlist?.videos as Connection;
    });
    const ids = pages.flatMap((page) => page.edges.map((edge) => edge.node.id));
    expect(pages.map((page) => page.edges.length)).toEqual([50, 50, 50, 50, 50]);
    expect(new Set(ids).size).toBe(LONG_PLAYLIST_LENGTH);
    expect(ids).toEqual((fakePlaylist(PLAYLIST_IDS.long)?.entries ?? []).map((entry) => entry.id));
  });

  test("describes the list: title, description, author, count and thumbnails", async () => {
    const list = fakePlaylist(PLAYLIST_IDS.mixed);
    const result = await playlistPage(`https://music.youtube.com/playlist?list=${PLAYLIST_IDS.mixed}`, 1);
    expect(result.error).toBeUndefined();
    const playlist = result.data?.playlist;
    expect(playlist?.id).toBe(PLAYLIST_IDS.mixed);
    expect(playlist?.title).toBe(list?.title as string);
    expect(playlist?.videoCount).toBe(list?.entries.length as number);
    expect(playlist?.author).toEqual({ id: FAKE_CHANNEL.id, name: FAKE_CHANNEL.name });
  });

  test("deleted and private entries appear unplayable, in their place, while the others stay playable", async () => {
    const entries = fakePlaylist(PLAYLIST_IDS.mixed)?.entries ?? [];
    const result = await playlistPage(
      `https://www.youtube.com/watch?v=${entries[0]?.id}&list=${PLAYLIST_IDS.mixed}`,
    );
    expect(result.error).toBeUndefined();
    const nodes = result.data?.playlist?.videos.edges.map((edge) => edge.node) ?? [];
    expect(nodes.map((node) => [node.id, node.title, node.playable])).toEqual(
      entries.map((entry) => [entry.id, entry.title, entry.state === "ok"]),
    );
    const deleted = nodes.find((node) => !node.playable);
    expect(deleted?.durationSeconds).toBeNull();
    expect(deleted?.author).toBeNull();
    expect(result.data?.playlist?.videos.pageInfo.hasNextPage).toBe(false);
  });

  test("a private list and an unknown one answer PLAYLIST_NOT_FOUND, not a crash", async () => {
    for (const id of [PLAYLIST_IDS.private, PLAYLIST_IDS.unknown]) {
      const result = await playlistPage(id);
      expect(result.data?.playlist).toBeNull();
      expect(errorCodes(result.error)).toEqual(["PLAYLIST_NOT_FOUND"]);
    }
  });

  test("YouTube failing to answer for a list is UPSTREAM_ERROR, not a verdict about the list", async () => {
    const result = await playlistPage(PLAYLIST_IDS.failing);
    expect(result.data?.playlist).toBeNull();
    expect(errorCodes(result.error)).toEqual(["UPSTREAM_ERROR"]);
  });

  test("a URL that names no playlist answers UNSUPPORTED_URL without asking YouTube", async () => {
    const before = browseRequests();
    const result = await playlistPage("https://www.youtube.com/watch?v=Plain000001");
    expect(errorCodes(result.error)).toEqual(["UNSUPPORTED_URL"]);
    expect(browseRequests()).toBe(before);
  });

  test("a forged or altered cursor is refused with BAD_USER_INPUT", async () => {
    const first = await playlistPage(PLAYLIST_IDS.long, 3);
    const cursor = first.data?.playlist?.videos.pageInfo.endCursor as string;
    const [header, payload, signature] = cursor.split(".");
    const claims = JSON.parse(Buffer.from(payload as string, "base64url").toString("utf8"));
    const altered = Buffer.from(JSON.stringify({ ...claims, o: claims.o + 50 })).toString("base64url");
    for (const forged of [`${header}.${altered}.${signature}`, "bm90IGEgY3Vyc29y", `${cursor}x`]) {
      const result = await playlistPage(PLAYLIST_IDS.long, 3, forged);
      expect(result.data?.playlist?.videos ?? null).toBeNull();
      expect(errorCodes(result.error)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  test("a cursor of one list is refused on another", async () => {
    const long = await playlistPage(PLAYLIST_IDS.long, 1);
    const cursor = long.data?.playlist?.videos.pageInfo.endCursor as string;
    const result = await playlistPage(PLAYLIST_IDS.mixed, 1, cursor);
    expect(errorCodes(result.error)).toEqual(["BAD_USER_INPUT"]);
  });

  test("first outside 0–200 is refused with BAD_USER_INPUT", async () => {
    for (const first of [201, -1]) {
      const result = await playlistPage(PLAYLIST_IDS.long, first);
      expect(errorCodes(result.error)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  test("concurrent readers share one request per YouTube page, and a page read again comes from the cache", async () => {
    const cold = await startStack({ DOWNTUBE_UPSTREAM_TIMEOUT_MS: "5000" }); // nothing read yet
    try {
      const browses = () => cold.youtube.hits.all.filter((hit) => hit.path === "/youtubei/v1/browse").length;
      const read = (first: number) =>
        cold.client.query<PlaylistResult>(PLAYLIST, { url: PLAYLIST_IDS.long, first }).toPromise();
      // Different page sizes: urql would merge identical queries into one request.
      const sizes = [1, 2, 3, 4, 5];
      const concurrent = await Promise.all(sizes.map(read));
      expect(concurrent.map((result) => result.data?.playlist?.videos.edges.length)).toEqual(sizes);
      expect(browses()).toBe(1);
      const longer = await read(150);
      expect(longer.data?.playlist?.videos.edges.length).toBe(150);
      expect(browses()).toBe(2); // the first page from the cache, the second asked for once
    } finally {
      await cold.stop();
    }
  });
});

describe("cursors", () => {
  test("a cursor goes on where it left off on a restarted gateway that shares the secrets, and on no other", async () => {
    const secret = { DOWNTUBE_TOKEN_SECRETS: "a-secret-of-at-least-thirty-two-bytes-0001" };
    const read = async (env: Record<string, string>, first: number, after?: string) => {
      const gateway = await startStack({ ...env, DOWNTUBE_UPSTREAM_TIMEOUT_MS: "5000" });
      try {
        return await gateway.client
          .query<PlaylistResult>(PLAYLIST, { url: PLAYLIST_IDS.long, first, after })
          .toPromise();
      } finally {
        await gateway.stop();
      }
    };
    const before = await read(secret, 120);
    const cursor = before.data?.playlist?.videos.pageInfo.endCursor as string;
    const after = await read(secret, 10, cursor);
    expect(after.error).toBeUndefined();
    const ids = (fakePlaylist(PLAYLIST_IDS.long)?.entries ?? []).map((entry) => entry.id);
    expect(after.data?.playlist?.videos.edges.map((edge) => edge.node.id)).toEqual(ids.slice(120, 130));
    expect(after.data?.playlist?.videos.edges[0]?.node.index).toBe(121);
    const other = await read(
      { DOWNTUBE_TOKEN_SECRETS: "another-secret-of-at-least-thirty-two-bytes" },
      10,
      cursor,
    );
    expect(errorCodes(other.error)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("channel(url)", () => {
  test("reads a channel's uploads, newest first, by its handle, page by page", async () => {
    const pages = await everyPage(async (after) => {
      const result = await channelPage(`https://www.youtube.com/${CHANNEL_HANDLE}/videos`, 40, after);
      expect(result.error).toBeUndefined();
      expect(result.data?.channel?.id).toBe(FAKE_CHANNEL.id);
      expect(result.data?.channel?.name).toBe(FAKE_CHANNEL.name);
      return result.data?.channel?.videos as Connection;
    });
    const nodes = pages.flatMap((page) => page.edges.map((edge) => edge.node));
    expect(nodes.map((node) => [node.id, node.title, node.durationSeconds])).toEqual(
      CHANNEL_UPLOAD_ENTRIES.map((entry) => [entry.id, entry.title, entry.lengthSeconds]),
    );
    // Grid items come as videoRenderer and as the newer lockupViewModel; both read the same.
    expect(nodes.every((node) => node.playable && node.author?.id === FAKE_CHANNEL.id)).toBe(true);
    expect(nodes.every((node) => node.thumbnails.length > 0)).toBe(true);
    expect(pages.at(-1)?.pageInfo.hasNextPage).toBe(false);
  });

  test("a /channel/UC… URL and a bare handle name the same channel", async () => {
    for (const url of [`https://www.youtube.com/channel/${FAKE_CHANNEL.id}`, CHANNEL_HANDLE]) {
      const result = await channelPage(url, 2);
      expect(result.error).toBeUndefined();
      expect(result.data?.channel?.url).toBe(`https://www.youtube.com/channel/${FAKE_CHANNEL.id}`);
      expect(result.data?.channel?.videos.edges.map((edge) => edge.node.id)).toEqual(
        CHANNEL_UPLOAD_ENTRIES.slice(0, 2).map((entry) => entry.id),
      );
    }
  });

  test("an unknown handle or channel id answers PLAYLIST_NOT_FOUND", async () => {
    for (const url of [
      "https://www.youtube.com/@nobody-at-all",
      "https://www.youtube.com/channel/UCnobodyAtAllNobodyAtAll",
    ]) {
      const result = await channelPage(url);
      expect(result.data?.channel).toBeNull();
      expect(errorCodes(result.error)).toEqual(["PLAYLIST_NOT_FOUND"]);
    }
  });
});
