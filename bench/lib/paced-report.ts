/** The Markdown of `npm run bench -- origin`: every way of downloading, side by side, and its targets. */
import type { BenchContext } from "./bench-context.ts";
import { fixed, formatSpread, spreadOf } from "./stats.ts";

/** One way of downloading the file: its URL and the process tree serving it (none for direct). */
export interface PacedPeer {
  readonly name: string;
  readonly url: string;
  readonly pid: number | undefined;
}

/** One download's figures. */
export interface PacedRun {
  readonly mibPerSecond: number;
  readonly ttfbMs: number;
  /** Peak resident bytes of the serving process tree above its level before the download. */
  readonly peakMiB: number | undefined;
  readonly requests: number;
  readonly connections: number;
}

/** What {@link pacedOriginPart} measured, for the report. */
export interface PacedResults {
  readonly fileBytes: number;
  readonly reps: number;
  readonly pacing: { readonly firstByteMs?: number; readonly rate?: string };
  readonly chunkBytes: number;
  readonly parallelRanges: number;
  readonly sliceBytes: number;
  readonly peers: readonly PacedPeer[];
  readonly runs: ReadonlyMap<string, readonly PacedRun[]>;
  readonly correct: ReadonlyMap<string, { readonly sha: boolean; readonly range: boolean }>;
  readonly concurrent: {
    readonly downloads: number;
    readonly idleMiB: number;
    readonly peakMiB: number;
    readonly aggregateMiBps: number;
    /** The same number of curl downloads straight from the origin at once. */
    readonly directMiBps: number;
    readonly requests: number;
    readonly connections: number;
    readonly complete: boolean;
  };
  /** Share of the machine's CPU busy during the runs (everything, the runs included). */
  readonly machineBusy: number;
}

const MiB = 2 ** 20;
const DIRECT = "direct (curl, one connection)";
const TUNED = "nginx-tuned";
const DEFAULT = "downtube, default";
/** The JS path of the `--baseline` checkout, when one ran. */
export const BEFORE = "downtube before (--baseline)";
const row = (cells: readonly (string | number)[]) => `| ${cells.join(" | ")} |`;

/** The results file and its line in the history table. */
export function pacedReport(
  results: PacedResults,
  context: BenchContext,
): { markdown: string; headline: string } {
  const median = (name: string, pick: (run: PacedRun) => number | undefined) =>
    spreadOf(
      (results.runs.get(name) ?? []).flatMap((run) => {
        const value = pick(run);
        return value === undefined ? [] : [value];
      }),
    );
  const speed = (name: string) => median(name, (r) => r.mibPerSecond).median;
  const over = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || b === 0 ? undefined : a / b;
  const times = (value: number | undefined) => (value === undefined ? "NA" : `×${fixed(value, 2)}`);

  const single = [
    row([
      "way",
      "MiB/s",
      "÷ direct",
      "÷ nginx-tuned",
      "first byte, ms",
      "peak memory above idle, MiB",
      "origin requests / connections",
      "sha256, Range",
    ]),
    row(["---", "---", "---", "---", "---", "---", "---", "---"]),
    ...results.peers.map((peer) => {
      const ok = results.correct.get(peer.name);
      const peak = median(peer.name, (r) => r.peakMiB);
      return row([
        peer.name,
        formatSpread(
          median(peer.name, (r) => r.mibPerSecond),
          1,
        ),
        times(over(speed(peer.name), speed(DIRECT))),
        times(over(speed(peer.name), speed(TUNED))),
        formatSpread(
          median(peer.name, (r) => r.ttfbMs),
          1,
        ),
        peer.pid === undefined ? "(no server)" : fixed(peak.max, 1),
        `${fixed(median(peer.name, (r) => r.requests).median)} / ${fixed(median(peer.name, (r) => r.connections).median)}`,
        ok === undefined ? "NA" : `${ok.sha ? "ok" : "**WRONG**"}, ${ok.range ? "ok" : "**WRONG**"}`,
      ]);
    }),
  ];

  const c = results.concurrent;
  const budgetMiB = c.downloads * 16;
  const growth = c.peakMiB - c.idleMiB;
  // The ×3 targets are the paced origin's: on loopback nothing limits one connection.
  const { firstByteMs, rate } = results.pacing;
  const paced = firstByteMs !== undefined || rate !== undefined;
  const speedTargets = [
    {
      what: `${DEFAULT} ÷ direct single connection ≥ ×3`,
      value: over(speed(DEFAULT), speed(DIRECT)),
      met: (v: number) => v >= 3,
    },
    {
      what: `${DEFAULT} ÷ nginx-tuned ≥ ×3`,
      value: over(speed(DEFAULT), speed(TUNED)),
      met: (v: number) => v >= 3,
    },
  ];
  const beforeTarget = {
    what: `${DEFAULT} ÷ ${BEFORE} ≥ ×0.95 (nothing slower than before)`,
    value: over(speed(DEFAULT), speed(BEFORE)),
    met: (v: number) => v >= 0.95,
  };
  const targets = [...(paced ? speedTargets : []), ...(results.runs.has(BEFORE) ? [beforeTarget] : [])];
  const targetRows = [
    row(["target", "measured", "met"]),
    row(["---", "---", "---"]),
    ...targets.map((t) =>
      row([t.what, times(t.value), t.value !== undefined && t.met(t.value) ? "yes" : "**no**"]),
    ),
    row([
      `peak memory, ${c.downloads} concurrent downloads ≤ idle + ${c.downloads} × 16 MiB`,
      `idle ${fixed(c.idleMiB, 1)} MiB, peak ${fixed(c.peakMiB, 1)} MiB (+${fixed(growth, 1)})`,
      growth <= budgetMiB ? "yes" : "**no**",
    ]),
  ];

  const fileMiB = results.fileBytes / MiB;
  const origin = paced
    ? `nginx answering each request after ${firstByteMs ?? 0} ms (njs timer before an internal redirect) and ` +
      `pacing each connection with \`limit_rate ${rate ?? "0"}\``
    : "nginx as run.sh's origin (loopback, answering at once, no pacing)";
  const markdown = [
    `# Downloads from ${paced ? "a paced" : "a loopback"} origin, ${context.started.toISOString().slice(0, 10)}${context.quick ? " (quick smoke run)" : ""}`,
    "",
    `Command: \`npm run bench -- ${paced ? "origin" : "loopback"}\` (bench/parts/paced-origin.ts). The origin: ${origin}, ` +
      `serving ${fileMiB} MiB (the start of run.sh's big.mp4). ` +
      `${results.reps} downloads per way, one at a time, the order rotated every repetition; median [min–max]. ` +
      `downtube at its defaults: ${results.parallelRanges} ranges of ${results.chunkBytes / MiB} MiB in flight at most; ` +
      `nginx's slices (nginx-slices and the offload mode): ${results.sliceBytes / MiB} MiB. Peak memory: the serving ` +
      "process tree's RSS (nginx master and workers; the gateway, and in offload mode its nginx) sampled every 50 ms, " +
      "the highest download above the level before it. Origin requests / connections: lines in the origin's access " +
      `log per download and the distinct connections they came on. CPU busy during the runs (all of the machine, the ` +
      `runs themselves included): ${fixed(results.machineBusy * 100)} % of ${navigator.hardwareConcurrency} cores.`,
    "",
    "## One download",
    "",
    ...single,
    "",
    "## Targets (ratios within this run)",
    "",
    ...targetRows,
    "",
    `## ${c.downloads} concurrent downloads through downtube at its defaults`,
    "",
    row(["measure", "value"]),
    row(["---", "---"]),
    row(["all complete", c.complete ? "yes" : "**no**"]),
    row(["aggregate MiB/s", fixed(c.aggregateMiBps, 1)]),
    row([
      "the same number of curl downloads straight from the origin, aggregate MiB/s",
      fixed(c.directMiBps, 1),
    ]),
    row(["gateway RSS idle / peak, MiB", `${fixed(c.idleMiB, 1)} / ${fixed(c.peakMiB, 1)}`]),
    row(["origin requests / connections", `${c.requests} / ${c.connections}`]),
    "",
  ].join("\n");
  const headline =
    `${fileMiB} MiB from ${paced ? "a paced" : "a loopback"} origin: default ${fixed(speed(DEFAULT), 1)} MiB/s (${times(over(speed(DEFAULT), speed(DIRECT)))} direct, ` +
    `${times(over(speed(DEFAULT), speed(TUNED)))} nginx-tuned), 1 range ${fixed(speed("downtube, 1 range in flight"), 1)}, ` +
    `offload ${fixed(speed("downtube, offload (nginx)"), 1)}` +
    (results.runs.has(BEFORE) ? `, before this change ${fixed(speed(BEFORE), 1)}` : "") +
    `; ${c.downloads} concurrent: +${fixed(growth, 1)} MiB`;
  return { markdown, headline };
}
