/**
 * `bun bench/query-rate.ts`: the cached `video` query's request rate against a bare graphql-yoga
 * `{ hello }` (both on node:http), quickly and on its own — issue #13's "≥ 0.8× bare yoga".
 *
 * Starts the simulated YouTube, the gateway as its own production-mode process (as `npm run
 * bench` does) and bench/yoga-hello.ts, caches the video with one query, warms both up, then runs
 * `hey` against them interleaved and prints each rate and the ratio per repetition and overall;
 * also the gateway answering `{ __typename }`, its own cost with no field resolved; and each
 * server's CPU time per request (its whole process, from /proc), steadier than rates on a busy
 * machine.
 *
 * Flags: `--reps N` (default 3), `--requests N` (default 20000), `--concurrency N` (default 32),
 * `--baseline DIR`: also run the gateway from another checkout of the repository (with its
 * dependencies installed), interleaved in the same run, so a change is compared before/after.
 */
import { mkdirSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { startFakeYouTube } from "../fake-youtube/server.ts";
import { REPO, startGatewayProcess } from "./lib/gateway.ts";
import { graphql } from "./lib/graphql-client.ts";
import { stopAllServers } from "./lib/processes.ts";
import { HELLO_QUERY, loadInterleaved, type QueryTarget, startHello } from "./lib/query-compare.ts";
import { formatSpread, ratio, spreadOf } from "./lib/stats.ts";

const VIDEO_QUERY = `{ video(url: "https://youtu.be/Plain000001") { id title author { name } durationSeconds viewCount formats { itag mimeType contentLength } } }`;

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}
function count(name: string, fallback: number): number {
  const value = Number(flag(name) ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer`);
  return value;
}

const reps = count("reps", 3);
const concurrency = count("concurrency", 32);
const requests = count("requests", 20_000);
const baseline = flag("baseline");
const workDir = join(REPO, "bench", ".work", `query-rate-${new Date().toISOString().replace(/[:.]/g, "-")}`);
mkdirSync(workDir, { recursive: true });

const youtube = await startFakeYouTube();
const stopEverything = async () => {
  await stopAllServers();
  await youtube.stop();
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void stopEverything().finally(() => process.exit(130)));
}

try {
  const targets: QueryTarget[] = [];
  const gateway = await startGatewayProcess(youtube.origin, workDir);
  targets.push({
    name: "gateway",
    what: "cached `video`",
    url: gateway.url,
    query: VIDEO_QUERY,
    pid: gateway.pid,
  });
  // The gateway's own cost per request before any field runs.
  targets.push({
    name: "gateway-typename",
    what: "`{ __typename }`",
    url: gateway.url,
    query: "{ __typename }",
    pid: gateway.pid,
  });
  if (baseline !== undefined) {
    const dir = resolve(baseline);
    const before = await startGatewayProcess(youtube.origin, workDir, "js", dir);
    targets.push({
      name: "gateway-baseline",
      what: `cached \`video\`, ${dir}`,
      url: before.url,
      query: VIDEO_QUERY,
      pid: before.pid,
    });
  }
  const hello = await startHello("yoga-hello-node", [], workDir, process.env);
  targets.push({
    name: "yoga-hello-node",
    what: "`{ hello }`",
    url: hello.url,
    query: HELLO_QUERY,
    pid: hello.pid,
  });
  for (const t of targets) await graphql(t.url, t.query);

  const [load1, load5] = os.loadavg();
  console.log(
    `load average before: ${load1?.toFixed(2)} (1 min), ${load5?.toFixed(2)} (5 min); ${os.cpus().length} cores`,
  );
  const servers = await loadInterleaved(targets, {
    warmup: { requests: Math.max(concurrency, Math.floor(requests / 5)), concurrency },
    load: { requests, concurrency },
    reps,
  });
  const rates = new Map(servers.map((s) => [s.name, s.runs.map((r) => r.requestsPerSecond)]));
  const helloRates = rates.get("yoga-hello-node") ?? [];
  console.log(`\nhey -n ${requests} -c ${concurrency}, POST, keep-alive; ${reps} reps interleaved`);
  for (const s of servers) {
    const mine = rates.get(s.name) ?? [];
    const perRep = mine.map((r, i) => ratio(r, helloRates[i])).join(" ");
    const median = spreadOf(mine).median;
    const cpu = spreadOf(s.runs.flatMap((r) => (r.cpuUsPerRequest === undefined ? [] : [r.cpuUsPerRequest])));
    console.log(
      `${s.name.padEnd(18)} ${formatSpread(spreadOf(mine)).padEnd(22)} req/s  ` +
        `vs hello ${ratio(median, spreadOf(helloRates).median)} (per rep: ${perRep})  ` +
        `CPU ${formatSpread(cpu, 0)} µs/request  ${s.answerBytes} B/answer`,
    );
  }
  const [after1] = os.loadavg();
  console.log(`load average after: ${after1?.toFixed(2)} (1 min)`);
} finally {
  await stopEverything();
}
