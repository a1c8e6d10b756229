import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { fakePlaylist, PLAYLIST_IDS } from "../../fake-youtube/playlists.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const PREPARE_MANY = gql`
  mutation PrepareMany($inputs: [PrepareDownloadInput!]!) {
    prepareDownloads(inputs: $inputs) { url filename contentLength format { itag } video { id } }
  }
`;

const LIST_URLS = gql`
  query ListUrls($url: String!) {
    playlist(url: $url) { videos { edges { node { url playable } } } }
  }
`;

interface Ticket {
  url: string;
  filename: string;
  contentLength: number | null;
  format: { itag: number };
  video: { id: string };
}
interface Result {
  prepareDownloads: (Ticket | null)[];
}

const MAX_BATCH = 4;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ DOWNTUBE_MAX_BATCH: String(MAX_BATCH), DOWNTUBE_UPSTREAM_TIMEOUT_MS: "5000" });
});
afterAll(() => stack.stop());

const prepareMany = (inputs: Record<string, unknown>[]) =>
  stack.client.mutation<Result>(PREPARE_MANY, { inputs }).toPromise();

/** Each error's code by the index its path names. */
function codesByIndex(
  error:
    | {
        graphQLErrors: readonly {
          path?: readonly (string | number)[];
          extensions: Record<string, unknown>;
        }[];
      }
    | undefined,
) {
  return Object.fromEntries((error?.graphQLErrors ?? []).map((e) => [e.path?.[1], e.extensions.code]));
}

describe("prepareDownloads(inputs)", () => {
  test("one bad input gives null and an error at its index; the others get tickets that download", async () => {
    const result = await prepareMany([
      { url: VIDEO_IDS.plain },
      { url: VIDEO_IDS.private },
      { url: "https://vimeo.com/1" },
      { url: VIDEO_IDS.cipher, format: { itag: 140 } },
    ]);
    const tickets = result.data?.prepareDownloads ?? [];
    expect(tickets.map((ticket) => ticket?.video.id ?? null)).toEqual([
      VIDEO_IDS.plain,
      null,
      null,
      VIDEO_IDS.cipher,
    ]);
    expect(tickets[3]?.format.itag).toBe(140);
    expect(codesByIndex(result.error)).toEqual({ 1: "VIDEO_PRIVATE", 2: "UNSUPPORTED_URL" });
    for (const ticket of [tickets[0], tickets[3]]) {
      const response = await fetch(ticket?.url as string);
      const bytes = await response.arrayBuffer();
      expect(response.status).toBe(200);
      expect(bytes.byteLength).toBe(ticket?.contentLength as number);
    }
  });

  test("prepares a playlist's entries: its deleted and private ones fail at their index", async () => {
    const list = await stack.client.query(LIST_URLS, { url: PLAYLIST_IDS.mixed }).toPromise();
    const nodes: { url: string; playable: boolean }[] = list.data.playlist.videos.edges.map(
      (edge: { node: { url: string; playable: boolean } }) => edge.node,
    );
    const entries = fakePlaylist(PLAYLIST_IDS.mixed)?.entries ?? [];
    const result = await prepareMany(nodes.slice(0, MAX_BATCH).map((node) => ({ url: node.url })));
    const tickets = result.data?.prepareDownloads ?? [];
    expect(tickets.map((ticket) => ticket?.video.id ?? null)).toEqual(
      entries.slice(0, MAX_BATCH).map((entry) => (entry.state === "ok" ? entry.id : null)),
    );
    expect(Object.keys(codesByIndex(result.error)).map(Number)).toEqual(
      nodes.slice(0, MAX_BATCH).flatMap((node, i) => (node.playable ? [] : [i])),
    );
  });

  test("more inputs than DOWNTUBE_MAX_BATCH are refused whole with BAD_USER_INPUT", async () => {
    const before = stack.youtube.hits.all.length;
    const result = await prepareMany(Array.from({ length: MAX_BATCH + 1 }, () => ({ url: VIDEO_IDS.plain })));
    expect(result.data?.prepareDownloads ?? null).toBeNull();
    expect(errorCodes(result.error)).toEqual(["BAD_USER_INPUT"]);
    expect(stack.youtube.hits.all.length).toBe(before);
  });

  test("an empty batch answers an empty list", async () => {
    const result = await prepareMany([]);
    expect(result.error).toBeUndefined();
    expect(result.data?.prepareDownloads).toEqual([]);
  });
});

describe("DOWNTUBE_MAX_BATCH and lists", () => {
  test("a playlist and each page of it count against the batch, however the pages are aliased", async () => {
    const pages = (count: number) =>
      Array.from({ length: count }, (_, i) => `p${i}: videos(first: 1) { edges { node { id } } }`).join(" ");
    const within = await stack.client
      .query(`query ($url: String!) { playlist(url: $url) { ${pages(MAX_BATCH - 1)} } }`, {
        url: PLAYLIST_IDS.long,
      })
      .toPromise();
    expect(within.error).toBeUndefined();
    const over = await stack.client
      .query(`query ($url: String!) { playlist(url: $url) { ${pages(MAX_BATCH)} } }`, {
        url: PLAYLIST_IDS.long,
      })
      .toPromise();
    expect(errorCodes(over.error)).toEqual(["BAD_USER_INPUT"]);
  });
});
