import { UpstreamError } from "./errors.ts";
import type { ListEntry, ListPage } from "./video-list.ts";

/**
 * Where an entry of a list sits: the origin page it came on (by that page's continuation token;
 * undefined for the first page), its place on that page, and its place in the whole list
 * (1-based). Enough to go on after it later, in another process too: a cursor carries it.
 */
export interface ListPosition {
  readonly page: string | undefined;
  readonly offset: number;
  readonly index: number;
}

/** One entry and where it sits. */
export interface PositionedEntry {
  readonly entry: ListEntry;
  readonly position: ListPosition;
}

/** Up to `first` entries of a list, and whether more follow them. */
export interface ListSlice {
  readonly items: readonly PositionedEntry[];
  readonly hasNextPage: boolean;
}

/** Reads one origin page of a list: the first one (undefined) or the one behind a token. */
export type PageLoader = (page: string | undefined) => Promise<ListPage>;

/**
 * Origin pages one slice may read. A slice of 200 spans three of YouTube's playlist pages (100
 * each) or seven of a channel's (30); a slice cut short here still ends in a cursor that goes on,
 * and an origin that sends page after page with nothing on it is refused, not followed forever.
 */
const MAX_PAGES_PER_SLICE = 10;

/**
 * The `first` entries that follow `after` (or the list's first ones), reading origin pages one
 * after another until there are enough or the list ends. `hasNextPage` is true while the last
 * page read has more entries or a continuation.
 * Throws what `load` throws, and `UpstreamError` for an origin that sends only empty pages.
 */
export async function sliceAfter(
  load: PageLoader,
  after: ListPosition | undefined,
  first: number,
): Promise<ListSlice> {
  let token = after?.page;
  let offset = after === undefined ? 0 : after.offset + 1;
  let index = after === undefined ? 1 : after.index + 1;
  let page = await load(token);
  const items: PositionedEntry[] = [];
  for (let reads = 1; ; reads++) {
    for (; items.length < first && offset < page.entries.length; offset++, index++) {
      const entry = page.entries[offset] as ListEntry;
      items.push({ entry, position: { page: token, offset, index } });
    }
    const more = offset < page.entries.length || page.continuation !== undefined;
    if (items.length >= first || page.continuation === undefined) return { items, hasNextPage: more };
    if (reads >= MAX_PAGES_PER_SLICE) {
      // Fewer than asked, but the last one's cursor goes on from there: the client pages on.
      if (items.length > 0) return { items, hasNextPage: true };
      throw new UpstreamError(`the origin sent ${reads} list pages with no entry on them`);
    }
    token = page.continuation;
    page = await load(token);
    offset = 0;
  }
}
