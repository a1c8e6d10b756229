/**
 * Single flight, measured: N simultaneous `video` queries for a video the gateway has not seen,
 * and how many requests reached the simulated YouTube for it.
 */
import type { FakeYouTube } from "../../fake-youtube/server.ts";

/** What the simultaneous queries cost upstream. */
export interface ColdExtraction {
  readonly queries: number;
  /** Queries answered with the video's title and no error. */
  readonly answered: number;
  /** Watch-page requests for the video: one per extraction. */
  readonly watchPages: number;
  /** youtubei `/player` POSTs for the video (one per extra player client, per extraction). */
  readonly playerPosts: number;
  /** Every request the simulated YouTube received meanwhile (player script included). */
  readonly allRequests: number;
  /** From the first query sent to the last answer, in ms. */
  readonly wallMs: number;
}

/** Sends `queries` copies of `query` at once and counts the upstream requests for `videoId`. */
export async function measureColdExtraction(
  gateway: URL,
  youtube: FakeYouTube,
  videoId: string,
  query: string,
  queries: number,
): Promise<ColdExtraction> {
  const before = {
    watch: youtube.hits.count("watch", videoId),
    youtubei: youtube.hits.count("youtubei", videoId),
    all: youtube.hits.all.length,
  };
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: queries }, async () => {
      const response = await fetch(new URL("/graphql", gateway), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { data?: { video?: { title?: string } }; errors?: unknown };
      return (
        response.status === 200 && body.errors === undefined && typeof body.data?.video?.title === "string"
      );
    }),
  );
  const wallMs = performance.now() - started;
  return {
    queries,
    answered: answers.filter(Boolean).length,
    watchPages: youtube.hits.count("watch", videoId) - before.watch,
    playerPosts: youtube.hits.count("youtubei", videoId) - before.youtubei,
    allRequests: youtube.hits.all.length - before.all,
    wallMs,
  };
}
