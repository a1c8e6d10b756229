/** The streaming figures of run.sh's results: every peer, and the gateway as ratios to them. */
import type { PeerResults, RunKnobs } from "./peers.ts";
import { formatSpread, ratio, type Spread, spreadOf } from "./stats.ts";

type Better = "higher" | "lower";

/** One streaming figure: how to read it out of run.sh's results for a peer. */
export interface Measure {
  readonly label: string;
  readonly better: Better;
  readonly digits: number;
  readonly read: (peers: PeerResults, peer: string) => number[];
}

const kibToMib = (values: number[]) => values.map((kib) => kib / 1024);

export const MEASURES: readonly Measure[] = [
  {
    label: "single stream MiB/s (512 MiB)",
    better: "higher",
    digits: 0,
    read: (r, p) => r.numbers(p, "ss_mibps"),
  },
  {
    label: "16 clients, aggregate MiB/s",
    better: "higher",
    digits: 0,
    read: (r, p) => r.numbers(p, "conc_mibps"),
  },
  {
    label: "16 clients, p50 completion ms",
    better: "lower",
    digits: 0,
    read: (r, p) => r.numbers(p, "conc_p50_ms"),
  },
  {
    label: "16 clients, p99 completion ms",
    better: "lower",
    digits: 0,
    read: (r, p) => r.numbers(p, "conc_p99_ms"),
  },
  { label: "TTFB, 16 MiB file, ms", better: "lower", digits: 2, read: (r, p) => r.ttfbMs(p) },
  { label: "TTFB, 512 MiB file, ms", better: "lower", digits: 2, read: (r, p) => r.numbers(p, "ss_ttfb_ms") },
  {
    label: "CPU s/GiB (single stream)",
    better: "lower",
    digits: 2,
    read: (r, p) => r.numbers(p, "ss_cpu_s_per_gib"),
  },
  {
    label: "RSS idle MiB",
    better: "lower",
    digits: 1,
    read: (r, p) => kibToMib(r.numbers(p, "rss_idle_kb")),
  },
  {
    label: "peak RSS MiB, one 16 MiB download",
    better: "lower",
    digits: 1,
    read: (r, p) => kibToMib(r.numbers(p, "hwm16_kb")),
  },
  {
    label: "peak RSS MiB, 512 MiB downloads",
    better: "lower",
    digits: 1,
    read: (r, p) => kibToMib(r.numbers(p, "hwm512_kb")),
  },
  {
    label: "peak RSS MiB, 16 clients",
    better: "lower",
    digits: 1,
    read: (r, p) => kibToMib(r.numbers(p, "hwm_conc_kb")),
  },
];

const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
const header = (cells: readonly string[]) => [row(cells), row(cells.map(() => "---"))];

function spread(peers: PeerResults, peer: string, measure: Measure): Spread {
  return spreadOf(measure.read(peers, peer));
}

/** The proxy peer (not the origin, not one of `ours`) with the best median for `measure`. */
function bestProxy(
  peers: PeerResults,
  ours: readonly string[],
  measure: Measure,
): { peer: string; median: number } | undefined {
  let best: { peer: string; median: number } | undefined;
  for (const peer of peers.peers) {
    if (peer === "direct" || ours.includes(peer)) continue;
    const median = spread(peers, peer, measure).median;
    if (median === undefined) continue;
    const wins =
      best === undefined || (measure.better === "higher" ? median > best.median : median < best.median);
    if (wins) best = { peer, median };
  }
  return best;
}

/** Every peer's figures, median [min–max], in two tables as run.sh prints them. */
export function peerTables(peers: PeerResults, knobs: RunKnobs): string[] {
  const cell = (peer: string, label: string) => {
    const measure = MEASURES.find((m) => m.label === label);
    return measure ? formatSpread(spread(peers, peer, measure), measure.digits) : "NA";
  };
  const count = (peer: string, metric: string) => peers.numbers(peer, metric).reduce((a, b) => a + b, 0);
  const single = [
    ...header([
      "peer",
      "MiB/s",
      "TTFB16 ms",
      "TTFB512 ms",
      "CPU s/GiB",
      "RSS idle MiB",
      "HWM16 MiB",
      "HWM512 MiB",
      "errors",
    ]),
    ...peers.peers.map((p) =>
      row([
        p,
        cell(p, "single stream MiB/s (512 MiB)"),
        cell(p, "TTFB, 16 MiB file, ms"),
        cell(p, "TTFB, 512 MiB file, ms"),
        cell(p, "CPU s/GiB (single stream)"),
        cell(p, "RSS idle MiB"),
        cell(p, "peak RSS MiB, one 16 MiB download"),
        cell(p, "peak RSS MiB, 512 MiB downloads"),
        String(peers.values(p, "ss_error").length),
      ]),
    ),
  ];
  const concurrent = [
    ...header([
      "peer",
      "MiB/s",
      "p50 ms",
      "p99 ms",
      "HWMconc MiB",
      "failed downloads",
      "sha256",
      "Range 1000-1999",
    ]),
    ...peers.peers.map((p) =>
      row([
        p,
        cell(p, "16 clients, aggregate MiB/s"),
        cell(p, "16 clients, p50 completion ms"),
        cell(p, "16 clients, p99 completion ms"),
        cell(p, "peak RSS MiB, 16 clients"),
        String(count(p, "conc_errs")),
        peers.values(p, "sha_ok").join(",") || "NA",
        peers.values(p, "range").join(",") || "NA",
      ]),
    ),
  ];
  return [
    `### One client: ${knobs.REPS} × big.mp4 (512 MiB), curl -o /dev/null, median [min–max]`,
    "",
    ...single,
    "",
    `TTFB16: ${knobs.TTFB_N} sequential small.mp4 downloads. CPU: user+sys of the peer's process tree ` +
      "(direct: the origin's own). RSS: max VmHWM over the peer's process tree, reset before each phase.",
    "",
    `### ${knobs.CONC} clients × ${knobs.CONC_N / knobs.CONC} small.mp4 (16 MiB) each, keep-alive, ${knobs.CONC_REPS} runs, median [min–max]`,
    "",
    ...concurrent,
  ];
}

/** The median of `measure` for `peer` (undefined when it was not measured). */
export function medianOf(peers: PeerResults, peer: string, label: string): number | undefined {
  const measure = MEASURES.find((m) => m.label === label);
  return measure === undefined ? undefined : spread(peers, peer, measure).median;
}

/**
 * One of the gateway's peers (`subject`) as its medians divided by the best proxy's, the
 * origin's, nginx-tuned's, Django's and each reference peer's (`references`: parts of the
 * gateway's setups alone). Neither `ours`, the gateway's own peers, nor the references count as
 * proxies to beat.
 */
export function ratioTable(
  peers: PeerResults,
  subject: string,
  ours: readonly string[],
  references: readonly string[],
): string[] {
  const has = (peer: string) => peers.peers.includes(peer);
  const others = ["direct", "nginx-tuned", "django-sync", "django-gthread", ...references, ...ours]
    .filter(has)
    .filter((peer) => peer !== subject);
  const lines = header(["measure", "better", subject, "÷ best proxy", ...others.map((p) => `÷ ${p}`)]);
  for (const measure of MEASURES) {
    const own = spread(peers, subject, measure);
    const best = bestProxy(peers, [...ours, ...references], measure);
    lines.push(
      row([
        measure.label,
        measure.better,
        formatSpread(own, measure.digits),
        best ? `${ratio(own.median, best.median)} (${best.peer})` : "NA",
        ...others.map((p) => ratio(own.median, spread(peers, p, measure).median)),
      ]),
    );
  }
  return lines;
}
