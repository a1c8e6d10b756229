/**
 * `bun bench/js-path-probe.ts`: a focused, repeatable look at the JS path's speed (the default
 * download path of `npm start`), a few minutes rather than `npm run bench`'s seven or more. It
 * starts, on 127.0.0.1 only, run.sh's nginx origin (on another port), the simulated YouTube whose
 * two extra videos live on that origin, the gateway as `npm start` runs it (`gateway`) and the
 * gateway's listener alone (`bun-node-http`, bench/peers/node-http-pump.ts) against the same
 * origin; with `--baseline DIR` (repeatable) also the gateway of each other checkout, e.g. an
 * export of an older commit with its own node_modules, to find where a cost came from in one run.
 *
 * Then, interleaved with the order rotated every repetition: `--reps` (default 7) big.mp4
 * (512 MiB) downloads per peer, one at a time (MiB/s, and the CPU seconds per GiB of the serving
 * process from /proc/PID/stat), and `--ttfb` (default 24) small.mp4 (16 MiB) downloads per peer,
 * peers alternating (first byte: median and 25th percentile), each with curl. `direct` is the
 * origin itself. Prints each as a ratio of `bun-node-http`'s from the same run, and how busy the
 * machine was (/proc/stat). `--cpu-prof DIR`: each gateway writes a CPU profile (`bun --cpu-prof`)
 * into DIR when it stops. Every process started here is stopped by its PID, also on Ctrl-C.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPO, startGatewayProcess } from "./lib/gateway.ts";
import { peerFiles, peersWorkDir } from "./lib/peers.ts";
import {
  cpuJiffies,
  curl,
  firstBytes,
  flagValue,
  flagValues,
  mintPeerUrls,
  originHttp,
  type ProbePeer,
  processCpuSeconds,
  quantile,
  rotated,
  startNginx,
  startProbeYouTube,
  stopProbe,
  stopProbeOnSignals,
} from "./lib/probe-kit.ts";
import { startServer } from "./lib/processes.ts";
import { fixed, formatSpread, ratio, spreadOf } from "./lib/stats.ts";

const flag = flagValue;
const REPS = Number(flag("--reps", "7"));
const TTFB_N = Number(flag("--ttfb", "24"));
const CPU_PROF = flag("--cpu-prof", undefined);
const BASELINES = flagValues("--baseline");

const ORIGIN_PORT = 28180;
const LISTENER = "bun-node-http";
const dataDir = join(peersWorkDir(), "data");
const workDir = join(REPO, "bench", ".work", `js-probe-${new Date().toISOString().replace(/[:.]/g, "-")}`);
mkdirSync(workDir, { recursive: true });

interface Peer extends ProbePeer {
  /** The serving process whose CPU is counted; none for `direct`. */
  readonly pid: number | undefined;
}

stopProbeOnSignals();

/** The pump's "listening" log line. */
function loggedUrl(line: string): URL | undefined {
  if (!line.startsWith("{")) return undefined;
  const { url } = JSON.parse(line) as { url?: string };
  return url === undefined ? undefined : new URL(url);
}

/** Bun's flags that make the gateway `name` write a CPU profile into {@link CPU_PROF}, if asked. */
function profileFlags(name: string): string[] {
  if (CPU_PROF === undefined) return [];
  const file = `${name.replace(/\W+/g, "-")}.cpuprofile`;
  return ["--cpu-prof", "--cpu-prof-dir", resolve(CPU_PROF), "--cpu-prof-name", file];
}

async function main() {
  const files = peerFiles(peersWorkDir());
  await startNginx(workDir, "origin", ORIGIN_PORT, 1, originHttp(ORIGIN_PORT, dataDir));
  const origin = `http://127.0.0.1:${ORIGIN_PORT}`;
  const peers: Peer[] = [
    {
      name: "direct",
      pid: undefined,
      urls: { "big.mp4": `${origin}/big.mp4`, "small.mp4": `${origin}/small.mp4` },
    },
  ];
  const pump = await startServer({
    name: LISTENER,
    cmd: [process.execPath, "bench/peers/node-http-pump.ts"],
    cwd: REPO,
    env: { ...process.env, NODE_ENV: "production", ORIGIN: origin },
    logPath: join(workDir, `${LISTENER}.log`),
    urlFrom: loggedUrl,
  });
  peers.push({
    name: LISTENER,
    pid: pump.pid,
    urls: {
      "big.mp4": new URL("/download/big.mp4", pump.url).href,
      "small.mp4": new URL("/download/small.mp4", pump.url).href,
    },
  });

  const youtubeOrigin = await startProbeYouTube(origin, files);
  const checkouts = [{ name: "gateway", repo: REPO }].concat(
    BASELINES.map((dir, i) => ({
      name: `gateway (baseline${BASELINES.length > 1 ? ` ${i + 1}` : ""})`,
      repo: resolve(dir),
    })),
  );
  for (const [i, { name, repo }] of checkouts.entries()) {
    const gateway = await startGatewayProcess(
      youtubeOrigin,
      workDir,
      "js",
      repo,
      {},
      i === 0 ? "" : `-${i}`,
      profileFlags(name),
    );
    peers.push({
      name,
      pid: gateway.pid,
      urls: await mintPeerUrls(gateway.url, files),
    });
  }

  // One warm-up download each (connections, caches, the simulation's first redirect).
  for (const peer of peers) await curl(peer.urls["small.mp4"]);
  const speeds = new Map(peers.map((p) => [p.name, [] as number[]]));
  const cpu = new Map(peers.map((p) => [p.name, [] as number[]]));
  const before = cpuJiffies();
  const t0 = performance.now();
  await rotated(
    peers,
    REPS,
    async (peer) => {
      const cpu0 = peer.pid === undefined ? 0 : processCpuSeconds(peer.pid);
      const big = await curl(peer.urls["big.mp4"]);
      if (big === undefined) return;
      speeds.get(peer.name)?.push(big.speed / 2 ** 20);
      if (peer.pid !== undefined) {
        cpu.get(peer.name)?.push(((processCpuSeconds(peer.pid) - cpu0) * 2 ** 30) / files.big.bytes);
      }
    },
    (round) => console.error(`big.mp4: round ${round}/${REPS} done`),
  );
  // First bytes one download at a time, peers alternating, so a burst of load hits all alike.
  const ttfbs = await firstBytes(peers, TTFB_N);
  const after = cpuJiffies();
  const seconds = (performance.now() - t0) / 1000;

  const ref = {
    speed: spreadOf(speeds.get(LISTENER) ?? []).median,
    cpu: spreadOf(cpu.get(LISTENER) ?? []).median,
    ttfb: spreadOf(ttfbs.get("direct") ?? []).median,
    p25: quantile(ttfbs.get("direct") ?? [], 0.25),
  };
  console.log(`\nreps ${REPS}, ${TTFB_N} TTFB downloads per peer, ${seconds.toFixed(0)} s`);
  console.log(
    `machine busy ${fixed((100 * (after.busy - before.busy)) / (after.total - before.total))}% of all cores during the run (this probe and its peers included)`,
  );
  console.log(
    `| peer | MiB/s big.mp4 | ÷ ${LISTENER} | CPU s/GiB | ÷ ${LISTENER} | TTFB16 ms | − direct ms | TTFB16 p25 ms | − direct ms |`,
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const peer of peers) {
    const speed = spreadOf(speeds.get(peer.name) ?? []);
    const perGiB = spreadOf(cpu.get(peer.name) ?? []);
    const ttfb = spreadOf(ttfbs.get(peer.name) ?? []);
    const p25 = quantile(ttfbs.get(peer.name) ?? [], 0.25);
    const delta = ttfb.median !== undefined && ref.ttfb !== undefined ? ttfb.median - ref.ttfb : undefined;
    console.log(
      `| ${peer.name} | ${formatSpread(speed)} | ${ratio(speed.median, ref.speed)} | ${formatSpread(perGiB, 2)} | ${ratio(perGiB.median, ref.cpu)} | ${formatSpread(ttfb, 2)} | ${fixed(delta, 2)} | ${fixed(p25, 2)} | ${fixed(p25 - ref.p25, 2)} |`,
    );
  }
}

try {
  await main();
} catch (error) {
  console.error("JS path probe failed:", error);
  process.exitCode = 1;
} finally {
  await stopProbe();
}
