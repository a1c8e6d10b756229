import { describe, expect, test } from "bun:test";
import { UpstreamError } from "../../src/core/errors.ts";
import { type ListPosition, type PageLoader, sliceAfter } from "../../src/core/list-paging.ts";
import type { ListEntry, ListPage } from "../../src/core/video-list.ts";

const entry = (n: number): ListEntry => ({
  videoId: `video${String(n).padStart(6, "0")}`,
  url: `https://example.com/video/${n}`,
  title: `entry ${n}`,
  durationSeconds: 5,
  author: undefined,
  thumbnails: [],
  playable: true,
});

/** A list of `total` entries sent `perPage` at a time, tokens `t1`, `t2`…; counts the loads. */
function origin(total: number, perPage: number) {
  const loads: (string | undefined)[] = [];
  const pages = Math.ceil(total / perPage);
  const load: PageLoader = async (token) => {
    loads.push(token);
    const n = token === undefined ? 0 : Number(token.slice(1));
    const entries = Array.from({ length: Math.min(perPage, total - n * perPage) }, (_, i) =>
      entry(n * perPage + i + 1),
    );
    return { entries, continuation: n + 1 < pages ? `t${n + 1}` : undefined } satisfies ListPage;
  };
  return { load, loads };
}

async function readAll(load: PageLoader, first: number) {
  const seen: { id: string; index: number }[] = [];
  const flags: boolean[] = [];
  let after: ListPosition | undefined;
  for (let round = 0; round < 1000; round++) {
    const slice = await sliceAfter(load, after, first);
    seen.push(...slice.items.map((item) => ({ id: item.entry.videoId, index: item.position.index })));
    flags.push(slice.hasNextPage);
    after = slice.items.at(-1)?.position ?? after;
    if (!slice.hasNextPage) break;
  }
  return { seen, flags };
}

describe("sliceAfter", () => {
  for (const [total, perPage, first] of [
    [250, 100, 200],
    [250, 100, 50],
    [75, 30, 40],
    [7, 3, 1],
    [100, 100, 100],
    [5, 100, 50],
  ] as const) {
    test(`pages ${total} entries sent ${perPage} a page, ${first} at a time: each once, in order, then no next page`, async () => {
      const { load } = origin(total, perPage);
      const { seen, flags } = await readAll(load, first);
      expect(seen.map((s) => s.id)).toEqual(Array.from({ length: total }, (_, i) => entry(i + 1).videoId));
      expect(seen.map((s) => s.index)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(flags.at(-1)).toBe(false);
      expect(flags.slice(0, -1).every(Boolean)).toBe(true);
    });
  }

  test("a slice that ends exactly at a page's end says there is more when the origin has a next page", async () => {
    const { load, loads } = origin(200, 100);
    const slice = await sliceAfter(load, undefined, 100);
    expect(slice.hasNextPage).toBe(true);
    expect(loads).toEqual([undefined]); // the next page is not read before it is asked for
  });

  test("going on after an entry reads from that entry's own page, not from the start", async () => {
    const { load, loads } = origin(300, 100);
    const first = await sliceAfter(load, undefined, 150);
    loads.length = 0;
    const next = await sliceAfter(load, first.items.at(-1)?.position, 10);
    expect(loads).toEqual(["t1"]);
    expect(next.items[0]?.position.index).toBe(151);
  });

  test("an origin that sends only empty pages is refused, not followed forever", async () => {
    let loads = 0;
    const empty: PageLoader = async () => {
      loads++;
      return { entries: [], continuation: "again" };
    };
    await expect(sliceAfter(empty, undefined, 10)).rejects.toBeInstanceOf(UpstreamError);
    expect(loads).toBeLessThan(20);
  });

  test("first: 0 returns no entry and says whether any follow", async () => {
    const { load } = origin(3, 10);
    expect(await sliceAfter(load, undefined, 0)).toEqual({ items: [], hasNextPage: true });
  });
});
