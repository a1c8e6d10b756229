/**
 * The record of every request the simulated YouTube received, and of the ones whose client went
 * away before the answer was complete.
 */

/** What a request was for. */
export type HitKind =
  | "watch"
  | "embed"
  | "player-js"
  | "youtubei"
  | "media"
  | "manifest"
  | "thumbnail"
  | "timedtext"
  | "other";

/** One request as received. */
export interface Hit {
  kind: HitKind;
  method: string;
  path: string;
  query: Readonly<Record<string, string>>;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string>>;
  /** The video the request is about, when the URL or body names one. */
  videoId?: string;
  /** youtubei only: `context.client.clientName` of the POSTed body (e.g. `ANDROID`). */
  clientName?: string;
  /** youtubei only: `context.client.visitorData` of the POSTed body. */
  visitorData?: string | undefined;
  /** Status answered (set once the handler has answered). */
  status?: number;
  /**
   * Media bytes handed to the connection for this request, counted as they leave (the long
   * video's media only, whose bodies are streamed chunk by chunk).
   */
  bytesSent?: number;
  /** True once the client disconnected before the answer was complete. */
  aborted: boolean;
  /** `Date.now()` at arrival. */
  at: number;
  /** The address the request came from (which proxy, when one connected). */
  address?: string | undefined;
}

type Waiter = { kind: HitKind; videoId: string | undefined; resolve: (hit: Hit) => void };

/** Request log with counting helpers and a way to await a client disconnect. */
export class HitLog {
  #hits: Hit[] = [];
  #waiters: Waiter[] = [];

  /** Every hit since the last {@link reset}, oldest first. */
  get all(): readonly Hit[] {
    return this.#hits;
  }

  /** Adds a hit (the server calls this). */
  record(hit: Hit): Hit {
    this.#hits.push(hit);
    return hit;
  }

  /** Hits of `kind`, optionally only those about `videoId`. */
  filter(kind: HitKind, videoId?: string): Hit[] {
    return this.#hits.filter((h) => h.kind === kind && (videoId === undefined || h.videoId === videoId));
  }

  /** Number of hits of `kind`, optionally only those about `videoId`. */
  count(kind: HitKind, videoId?: string): number {
    return this.filter(kind, videoId).length;
  }

  /**
   * Extractions begun (about `videoId` when given), whichever extractor made them: ytdl-core
   * starts at the watch page; youtubei.js asks InnerTube's /player as the WEB client, which
   * ytdl-core never does (it reads the WEB formats off the watch page).
   */
  extractions(videoId?: string): number {
    const youtubei = this.filter("youtubei", videoId).filter((hit) => hit.clientName === "WEB");
    return this.count("watch", videoId) + youtubei.length;
  }

  /** Media bytes sent (about `videoId` when given), counted by the origin as they left. */
  mediaBytesSent(videoId?: string): number {
    return this.filter("media", videoId).reduce((sum, hit) => sum + (hit.bytesSent ?? 0), 0);
  }

  /** Forgets every hit (pending abort waiters stay). */
  reset(): void {
    this.#hits = [];
  }

  /** Marks a hit as aborted by its client and wakes whoever waits for it (the server calls this). */
  markAborted(hit: Hit): void {
    if (hit.aborted) return;
    hit.aborted = true;
    const ready = this.#waiters.filter((w) => matches(w, hit));
    this.#waiters = this.#waiters.filter((w) => !matches(w, hit));
    for (const waiter of ready) waiter.resolve(hit);
  }

  /**
   * Resolves with the first hit of `kind` (about `videoId` when given) whose client disconnected
   * before the answer was complete: at once if one is already logged since the last reset,
   * otherwise when it happens. Never rejects; bound it with the test's timeout.
   */
  onAborted(kind: HitKind, videoId?: string): Promise<Hit> {
    const seen = this.#hits.find((h) => h.aborted && matches({ kind, videoId }, h));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ kind, videoId, resolve }));
  }

  /** {@link onAborted} for media (`/videoplayback`) requests. */
  onMediaAborted(videoId?: string): Promise<Hit> {
    return this.onAborted("media", videoId);
  }
}

function matches(want: { kind: HitKind; videoId: string | undefined }, hit: Hit): boolean {
  return hit.kind === want.kind && (want.videoId === undefined || hit.videoId === want.videoId);
}
