/** The download and query targets of the offload work, as ratios within one run, met or not. */
import type { PeerResults } from "./peers.ts";
import { fixed } from "./stats.ts";
import { medianOf } from "./streaming-tables.ts";

const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;

interface Target {
  readonly what: string;
  /** A few words for the history table. */
  readonly short: string;
  /** The measured figure, undefined when something was not measured. */
  readonly value: number | undefined;
  /** The same figure of a reference peer (a part of the setup alone), where one applies. */
  readonly reference?: { readonly peer: string; readonly value: number | undefined };
  readonly unit: "×" | "ms" | "MiB";
  readonly met: (value: number) => boolean;
}

const over = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? undefined : a / b;
const minus = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? undefined : a - b;

/**
 * One line per target: the offload peer against nginx-tuned (throughput, p99, TTFB, memory flat
 * in the file size), the JS path's TTFB against a direct download, and the cached `video` query
 * against a bare graphql-yoga (`queryRatio`: gateway ÷ hello world, requests/s). Beside each, the
 * same figure of the reference peer that is that mode without the gateway (`references.slices`:
 * the offload mode's nginx alone; `references.listener`: the JS path's listener alone).
 */
function targetsOf(
  peers: PeerResults,
  { gateway, offload }: { readonly gateway: string; readonly offload: string },
  references: { readonly listener: string; readonly slices: string },
  queryRatio: number | undefined,
): Target[] {
  const m = (peer: string, label: string) => medianOf(peers, peer, label);
  const tuned = "nginx-tuned";
  const ttfb = "TTFB, 16 MiB file, ms";
  const { slices, listener } = references;
  /** `peer`'s `label` divided by nginx-tuned's. */
  const perTuned = (peer: string, label: string) => over(m(peer, label), m(tuned, label));
  const single = "single stream MiB/s (512 MiB)";
  const aggregate = "16 clients, aggregate MiB/s";
  const p99 = "16 clients, p99 completion ms";
  const targets: Target[] = [
    {
      what: `${offload} single stream ÷ ${tuned} ≥ ×0.95`,
      short: "offload single",
      value: perTuned(offload, single),
      reference: { peer: slices, value: perTuned(slices, single) },
      unit: "×",
      met: (v) => v >= 0.95,
    },
    {
      what: `${offload} 16 clients MiB/s ÷ ${tuned} ≥ ×0.95`,
      short: "offload 16 clients",
      value: perTuned(offload, aggregate),
      reference: { peer: slices, value: perTuned(slices, aggregate) },
      unit: "×",
      met: (v) => v >= 0.95,
    },
    {
      what: `${offload} 16 clients p99 ÷ ${tuned} ≤ ×1.10`,
      short: "offload p99",
      value: perTuned(offload, p99),
      reference: { peer: slices, value: perTuned(slices, p99) },
      unit: "×",
      met: (v) => v <= 1.1,
    },
    {
      what: `${offload} TTFB16 − ${tuned}'s ≤ 2 ms`,
      short: "offload TTFB16 − tuned",
      value: minus(m(offload, ttfb), m(tuned, ttfb)),
      reference: { peer: slices, value: minus(m(slices, ttfb), m(tuned, ttfb)) },
      unit: "ms",
      met: (v) => v <= 2,
    },
    {
      what: `${offload} peak RSS, 512 MiB downloads − one 16 MiB download ≤ 16 MiB (flat in the file size)`,
      short: "offload memory",
      value: minus(
        m(offload, "peak RSS MiB, 512 MiB downloads"),
        m(offload, "peak RSS MiB, one 16 MiB download"),
      ),
      unit: "MiB",
      met: (v) => v <= 16,
    },
    {
      what: `${gateway} (JS path) TTFB16 − direct's ≤ 5 ms`,
      short: "JS TTFB16 − direct",
      value: minus(m(gateway, ttfb), m("direct", ttfb)),
      reference: { peer: listener, value: minus(m(listener, ttfb), m("direct", ttfb)) },
      unit: "ms",
      met: (v) => v <= 5,
    },
    {
      what: "cached `video` query ÷ bare graphql-yoga hello (node:http) ≥ ×0.80",
      short: "cached query ÷ yoga",
      value: queryRatio,
      unit: "×",
      met: (v) => v >= 0.8,
    },
  ];
  return targets;
}

const shown = (t: Target, value: number | undefined) =>
  value === undefined ? "NA" : t.unit === "×" ? `×${fixed(value, 2)}` : `${fixed(value, 2)} ${t.unit}`;

/** The arguments of {@link targetTable}. */
type TargetArgs = Parameters<typeof targetsOf>;

/** One line per target: what, measured, met, and the same of the reference peer. */
export function targetTable(...args: TargetArgs): string[] {
  const targets = targetsOf(...args);
  return [
    row(["target", "measured", "met", "the same without the gateway"]),
    row(["---", "---", "---", "---"]),
    ...targets.map((t) => {
      const met = t.value === undefined ? "NA" : t.met(t.value) ? "yes" : "**no**";
      const reference = t.reference ? `${shown(t, t.reference.value)} (\`${t.reference.peer}\`)` : "";
      return row([t.what, shown(t, t.value), met, reference]);
    }),
  ];
}

/** The targets in one line, for the history table: `offload single ×0.77 (no), …`. */
export function targetSummary(...args: TargetArgs): string {
  return targetsOf(...args)
    .map(
      (t) => `${t.short} ${shown(t, t.value)}${t.value !== undefined && t.met(t.value) ? "" : " (not met)"}`,
    )
    .join("; ");
}
