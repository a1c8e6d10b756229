/** Writes the Markdown results of `npm run bench`: peers, the gateway as ratios, queries, tokens. */
import type { ColdExtraction } from "./cold-extraction.ts";
import type { PeerResults, RunKnobs } from "./peers.ts";
import type { QueryServer } from "./query-compare.ts";
import type { Load } from "./query-load.ts";
import { formatSpread, ratio, spreadOf } from "./stats.ts";
import { peerTables, ratioTable } from "./streaming-tables.ts";
import { targetSummary, targetTable } from "./targets.ts";
import type { TokenRates } from "./token-rate.ts";

/** Facts about the machine and the tools, for the header. */
export interface MachineFacts {
  readonly date: Date;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly bun: string;
  /** The versions `setup.sh` printed. */
  readonly peerVersions: string;
}

/** Everything one run measured. */
export interface BenchReport {
  readonly mode: "full" | "quick";
  readonly machine: MachineFacts;
  readonly knobs: RunKnobs;
  /** The gateway's peer name in run.sh's results (the JS path, as `npm start` runs it). */
  readonly gateway: string;
  /** The offload mode's peer name (as `npm run start:nginx` runs it). */
  readonly offload: string;
  /** The reference peer: the gateway's listener alone (not counted as a proxy peer to beat). */
  readonly listener: string;
  /** The reference peer: the offload mode's nginx alone, slicing (not a proxy peer to beat either). */
  readonly slices: string;
  /** The JS path of another checkout measured in the same run (`--baseline DIR`), if any. */
  readonly baseline?: string;
  /** How the gateway was started and reached its origin (one paragraph). */
  readonly setup: string;
  readonly peers: PeerResults;
  readonly queries: { readonly load: Load; readonly query: string; readonly servers: readonly QueryServer[] };
  readonly tokens: TokenRates;
  readonly cold: ColdExtraction;
}

const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
const header = (cells: readonly string[]) => [row(cells), row(cells.map(() => "---"))];

function queryTable(report: BenchReport): string[] {
  const { servers, load, query } = report.queries;
  const rps = (s: QueryServer) => spreadOf(s.runs.map((r) => r.requestsPerSecond));
  const [gateway, ...bare] = servers;
  const lines = [
    `hey -n ${load.requests} -c ${load.concurrency} (POST, keep-alive), ${servers[0]?.runs.length ?? 0} runs interleaved, ` +
      "median [min–max]; every answer checked to be a 200.",
    "",
    ...header([
      "server",
      "requests/s",
      "p50 ms",
      "p99 ms",
      "CPU µs/request",
      "bytes/answer",
      "gateway ÷ this",
    ]),
  ];
  for (const server of servers) {
    lines.push(
      row([
        `${server.name}: ${server.what}`,
        formatSpread(rps(server), 0),
        formatSpread(spreadOf(server.runs.map((r) => r.p50Ms)), 2),
        formatSpread(spreadOf(server.runs.map((r) => r.p99Ms)), 2),
        cpuPerRequest(server),
        String(server.answerBytes),
        server === gateway || gateway === undefined ? "" : ratio(rps(gateway).median, rps(server).median),
      ]),
    );
  }
  lines.push("", `The gateway's query: \`${query}\``);
  if (bare.length === 0) lines.push("", "(no comparison server)");
  return lines;
}

/** The server process's CPU time per request (all its threads), median [min–max]; NA unmeasured. */
function cpuPerRequest(server: QueryServer): string {
  const values = server.runs.flatMap((r) => (r.cpuUsPerRequest === undefined ? [] : [r.cpuUsPerRequest]));
  return values.length === 0 ? "NA" : formatSpread(spreadOf(values), 0);
}

/** The cached `video` query's requests/s ÷ the bare yoga hello world's on the same listener. */
function queryRatio(report: BenchReport): number | undefined {
  const median = (name: string) =>
    spreadOf(report.queries.servers.find((s) => s.name === name)?.runs.map((r) => r.requestsPerSecond) ?? [])
      .median;
  const gateway = median(report.gateway);
  const hello = median("yoga-hello-node");
  return gateway === undefined || hello === undefined || hello === 0 ? undefined : gateway / hello;
}

function otherTable(report: BenchReport): string[] {
  const { tokens, cold } = report;
  const single = cold.watchPages === 1 ? "yes" : "NO";
  return [
    ...header(["measure", "value"]),
    row([
      "token mint (sign) per second, one thread, awaited",
      formatSpread(spreadOf(tokens.signPerSecond), 0),
    ]),
    row(["token verify per second, one thread, awaited", formatSpread(spreadOf(tokens.verifyPerSecond), 0)]),
    row([
      `${cold.queries} concurrent cold \`video\` queries: answered`,
      `${cold.answered} / ${cold.queries}`,
    ]),
    row(["… watch-page requests to YouTube (must be 1)", `${cold.watchPages} (${single})`]),
    row(["… youtubei /player POSTs", String(cold.playerPosts)]),
    row(["… every request YouTube received", String(cold.allRequests)]),
    row(["… first query sent to last answer, ms", cold.wallMs.toFixed(0)]),
  ];
}

/** The whole results file. */
export function renderReport(report: BenchReport): string {
  const { machine, knobs } = report;
  const command = report.mode === "quick" ? "npm run bench -- --quick" : "npm run bench";
  return [
    `# downtube against its peers, ${machine.date.toISOString().slice(0, 10)}${report.mode === "quick" ? " (quick smoke run: too few repetitions to compare)" : ""}`,
    "",
    `Command: \`${command}\` (bench/run.ts). run.sh knobs: REPS=${knobs.REPS} CONC=${knobs.CONC} ` +
      `CONC_N=${knobs.CONC_N} CONC_REPS=${knobs.CONC_REPS} TTFB_N=${knobs.TTFB_N} MAX_S=${knobs.MAX_S}` +
      `${knobs.PEERS === undefined ? "" : ` PEERS="${knobs.PEERS}"`}.`,
    "",
    ...header(["machine", ""]),
    row(["date", machine.date.toISOString()]),
    row(["CPU", `${machine.cpu}, ${machine.cores} cores`]),
    row(["memory", `${machine.memoryGiB.toFixed(1)} GiB`]),
    row(["kernel", machine.kernel]),
    row(["Bun (gateway, bench)", machine.bun]),
    "",
    "Peers (shared/peers/setup.sh):",
    "",
    "```",
    machine.peerVersions,
    "```",
    "",
    report.setup,
    "",
    "## Streaming: the gateway as a ratio",
    "",
    `Gateway median ÷ peer median (\`better\` says which way is good). Best proxy = the best of the ` +
      `proxying peers of shared/peers for that figure (direct, the origin itself, is the upper bound; ` +
      `\`${report.listener}\`, the gateway's listener alone, and \`${report.slices}\`, the offload mode's ` +
      `nginx alone, are references).`,
    "",
    ...ratioTable(
      report.peers,
      report.gateway,
      [report.offload],
      [report.listener, report.slices, ...(report.baseline === undefined ? [] : [report.baseline])],
    ),
    "",
    `## Streaming: the offload mode (\`${report.offload}\`) as a ratio`,
    "",
    ...ratioTable(report.peers, report.offload, [report.gateway], [report.slices, report.listener]),
    "",
    "## Targets (ratios within this run)",
    "",
    ...targetTable(
      report.peers,
      { gateway: report.gateway, offload: report.offload },
      {
        listener: report.listener,
        slices: report.slices,
      },
      queryRatio(report),
    ),
    "",
    "## Streaming: every peer",
    "",
    ...peerTables(report.peers, report.knobs),
    "",
    "## Noise (run.sh's cpusample summary)",
    "",
    ...report.peers.noise.map((line) => `- ${line}`),
    "",
    "## GraphQL: a cached `video` query against a bare graphql-yoga hello world",
    "",
    ...queryTable(report),
    "",
    "## Tokens and single flight",
    "",
    ...otherTable(report),
    "",
    "## run.sh's own tables",
    "",
    `Results directory: \`${report.peers.dir}\``,
    "",
    "```",
    report.peers.table.trimEnd(),
    "```",
    "",
  ].join("\n");
}

/** One line for the history table: the JS path's single stream and every target. */
export function reportHeadline(report: BenchReport): string {
  const single = spreadOf(report.peers.numbers(report.gateway, "ss_mibps")).median;
  const names = { gateway: report.gateway, offload: report.offload };
  const references = { listener: report.listener, slices: report.slices };
  const js = single === undefined ? "" : `JS path single stream ${single.toFixed(0)} MiB/s; `;
  return js + targetSummary(report.peers, names, references, queryRatio(report));
}
