import { createHash } from "node:crypto";
import type { Clock } from "../../core/ports.ts";

/** One way out to YouTube: a forward proxy, or this instance's own address (`proxy` undefined). */
export interface Egress {
  /** Its name in metrics, `/readyz`, logs and cached metadata (never a proxy's credentials). */
  readonly id: string;
  /** The proxy URL for Bun's fetch `proxy` option; undefined: direct. */
  readonly proxy: string | undefined;
}

/** How YouTube treats an egress lately. */
export type EgressState = "ok" | "challenged" | "resting";

export interface EgressPoolOptions {
  readonly egresses: readonly Egress[];
  readonly clock: Clock;
  /** Challenges in a row (no success between them) that send an egress to rest. */
  readonly restAfter: number;
  /** How long a rest lasts, in milliseconds. */
  readonly restMs: number;
}

/** The egresses of an instance, which one takes a video, and which ones YouTube pushes back on. */
export interface EgressPool {
  readonly all: readonly Egress[];
  /**
   * The egress for a video: the same on every instance with the same list (rendezvous hashing of
   * the id), skipping egresses at rest; when every one rests, the video's own anyway.
   */
  choose(videoId: string): Egress;
  byId(id: string): Egress | undefined;
  /** YouTube challenged a request through `id`. */
  challenged(id: string): void;
  /** A request through `id` got through: its streak of challenges ends. */
  succeeded(id: string): void;
  states(): Record<string, EgressState>;
  /** Seconds until asking again may pass: 30, or until the first rest ends when all rest. */
  retryAfterSeconds(): number;
}

const DEFAULT_RETRY_SECONDS = 30;

function weight(egress: Egress, videoId: string): number {
  return createHash("sha256").update(`${egress.id}\n${videoId}`).digest().readUIntBE(0, 6);
}

/** An in-process {@link EgressPool}: rests are this instance's own observation. */
export function createEgressPool(options: EgressPoolOptions): EgressPool {
  const { egresses, clock } = options;
  if (egresses.length === 0) throw new RangeError("an egress pool needs at least one egress");
  const streaks = new Map<string, number>();
  const restingUntil = new Map<string, number>();

  const resting = (id: string): boolean => {
    const until = restingUntil.get(id);
    if (until === undefined) return false;
    if (until > clock()) return true;
    restingUntil.delete(id);
    streaks.delete(id);
    return false;
  };
  const ranked = (videoId: string) =>
    egresses.toSorted((a, b) => weight(b, videoId) - weight(a, videoId) || a.id.localeCompare(b.id));

  return {
    all: egresses,
    choose(videoId) {
      const order = ranked(videoId);
      return order.find((egress) => !resting(egress.id)) ?? (order[0] as Egress);
    },
    byId: (id) => egresses.find((egress) => egress.id === id),
    challenged(id) {
      const streak = (streaks.get(id) ?? 0) + 1;
      streaks.set(id, streak);
      if (streak >= options.restAfter && !resting(id)) restingUntil.set(id, clock() + options.restMs);
    },
    succeeded(id) {
      streaks.delete(id);
    },
    states() {
      const states: Record<string, EgressState> = {};
      for (const { id } of egresses) {
        states[id] = resting(id) ? "resting" : (streaks.get(id) ?? 0) > 0 ? "challenged" : "ok";
      }
      return states;
    },
    retryAfterSeconds() {
      if (!egresses.every((egress) => resting(egress.id))) return DEFAULT_RETRY_SECONDS;
      const first = Math.min(...restingUntil.values());
      return Math.max(1, Math.ceil((first - clock()) / 1000));
    },
  };
}
