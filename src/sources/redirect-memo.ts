import { setNewest } from "../core/bounded-map.ts";
import type { Clock } from "../core/ports.ts";

export interface RedirectMemoOptions {
  readonly clock: Clock;
  /** How long a learned target is trusted, in milliseconds. */
  readonly ttlMs: number;
  /** Most URLs remembered; the oldest is forgotten first. */
  readonly maxEntries: number;
}

/**
 * Where media URLs ended up after the origin's redirects, remembered for a short while: the next
 * download of the same URL goes straight to the target instead of paying the redirect's round
 * trip before its first byte. A target that has since expired is refused by the origin like any
 * expired media URL (403), which leads to a fresh extraction and new URLs.
 */
export interface RedirectMemo {
  /** The remembered target of `url`, or `url` itself. */
  resolve(url: string): string;
  /** Whether `url`'s final target is known (also when it does not redirect). */
  knows(url: string): boolean;
  /** Records that `url` was answered at `target` (the same URL when it did not redirect). */
  learn(url: string, target: string): void;
}

/** An in-memory {@link RedirectMemo} (a Map kept in insertion order, so the oldest goes first). */
export function createRedirectMemo(options: RedirectMemoOptions): RedirectMemo {
  const entries = new Map<string, { target: string; until: number }>();
  const fresh = (url: string) => {
    const entry = entries.get(url);
    if (entry === undefined) return undefined;
    if (entry.until > options.clock()) return entry;
    entries.delete(url);
    return undefined;
  };
  return {
    resolve: (url) => fresh(url)?.target ?? url,
    knows: (url) => fresh(url) !== undefined,
    learn(url, target) {
      setNewest(entries, url, { target, until: options.clock() + options.ttlMs }, options.maxEntries);
    },
  };
}
