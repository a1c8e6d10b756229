import { createExpiringMap, type ExpiringMapOptions } from "../core/expiring-map.ts";

/** How long a learned target is trusted (`ttlMs`) and how many URLs are remembered. */
export type RedirectMemoOptions = ExpiringMapOptions;

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

/** An in-memory {@link RedirectMemo} (an {@link ExpiringMap}: the oldest URL goes first). */
export function createRedirectMemo(options: RedirectMemoOptions): RedirectMemo {
  const targets = createExpiringMap<string>(options);
  return {
    resolve: (url) => targets.get(url) ?? url,
    knows: (url) => targets.get(url) !== undefined,
    learn: (url, target) => targets.set(url, target),
  };
}
