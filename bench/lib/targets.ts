/** The download and query targets of the offload work, as ratios within one run, met or not. */
import type { PeerResults } from "./peers.ts";
import { fixed } from "./stats.ts";
import { medianOf } from "./streaming-tables.ts";

const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;

interface Target {
  readonly what: string;
  /** The measured figure, undefined when something was not measured. */
  readonly value: number | undefined;
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
 * against a bare graphql-yoga (`queryRatio`: gateway ÷ hello world, requests/s).
 */
export function targetTable(
  peers: PeerResults,
  gateway: string,
  offload: string,
  queryRatio: number | undefined,
): string[] {
  const m = (peer: string, label: string) => medianOf(peers, peer, label);
  const tuned = "nginx-tuned";
  const ttfb = "TTFB, 16 MiB file, ms";
  const targets: Target[] = [
    {
      what: `${offload} single stream ÷ ${tuned} ≥ ×0.95`,
      value: over(m(offload, "single stream MiB/s (512 MiB)"), m(tuned, "single stream MiB/s (512 MiB)")),
      unit: "×",
      met: (v) => v >= 0.95,
    },
    {
      what: `${offload} 16 clients MiB/s ÷ ${tuned} ≥ ×0.95`,
      value: over(m(offload, "16 clients, aggregate MiB/s"), m(tuned, "16 clients, aggregate MiB/s")),
      unit: "×",
      met: (v) => v >= 0.95,
    },
    {
      what: `${offload} 16 clients p99 ÷ ${tuned} ≤ ×1.10`,
      value: over(m(offload, "16 clients, p99 completion ms"), m(tuned, "16 clients, p99 completion ms")),
      unit: "×",
      met: (v) => v <= 1.1,
    },
    {
      what: `${offload} TTFB16 − ${tuned}'s ≤ 2 ms`,
      value: minus(m(offload, ttfb), m(tuned, ttfb)),
      unit: "ms",
      met: (v) => v <= 2,
    },
    {
      what: `${offload} peak RSS, 512 MiB downloads − one 16 MiB download ≤ 16 MiB (flat in the file size)`,
      value: minus(
        m(offload, "peak RSS MiB, 512 MiB downloads"),
        m(offload, "peak RSS MiB, one 16 MiB download"),
      ),
      unit: "MiB",
      met: (v) => v <= 16,
    },
    {
      what: `${gateway} (JS path) TTFB16 − direct's ≤ 5 ms`,
      value: minus(m(gateway, ttfb), m("direct", ttfb)),
      unit: "ms",
      met: (v) => v <= 5,
    },
    {
      what: "cached `video` query ÷ bare graphql-yoga hello (node:http) ≥ ×0.80",
      value: queryRatio,
      unit: "×",
      met: (v) => v >= 0.8,
    },
  ];
  return [
    row(["target", "measured", "met"]),
    row(["---", "---", "---"]),
    ...targets.map((t) => {
      const shown = t.unit === "×" ? `×${fixed(t.value, 2)}` : `${fixed(t.value, 2)} ${t.unit}`;
      const met = t.value === undefined ? "NA" : t.met(t.value) ? "yes" : "**no**";
      return row([t.what, t.value === undefined ? "NA" : shown, met]);
    }),
  ];
}
