/**
 * `bun bench/offload-probe.ts`: a focused, repeatable look at the offload mode's speed, a few
 * minutes rather than `npm run bench`'s seven or more. It starts, on 127.0.0.1 only, an nginx
 * origin and the nginx-tuned peer exactly as `shared/peers/run.sh` configures them (on other
 * ports), the simulated YouTube whose two extra videos live on that origin, the gateway as
 * `npm run start:nginx` runs it (`downtube+nginx`) and as `npm start` runs it (`gateway`), plus any
 * hand-written nginx variants given with `--variant name=file.conf` (an `http {}` body that may
 * use `@ORIGIN@` and must listen on `@PORT@`, serving `/download/<file>`).
 *
 * Then, interleaved with the order rotated every repetition: `--reps` big.mp4 downloads per peer
 * (MiB/s), and `--ttfb` small.mp4 downloads per peer one at a time, peers alternating (first
 * byte: median and 25th percentile, the latter less at the mercy of other load), each with curl. Prints
 * median [min–max] per peer, each as a ratio of nginx-tuned's from the same run, and how busy
 * the machine was (/proc/stat). Then `--conc-reps` (default 3) rounds of 16 clients × 8 small.mp4
 * per peer, interleaved (aggregate MiB/s). Flags: `--reps N` (default 7), `--ttfb N` (default 20),
 * `--baseline DIR`: also the gateway of another checkout in both modes (`… (baseline)`), e.g. an
 * export of `main`, to measure a change before and after in one run; `--slice BYTES`: also the
 * offload mode with DOWNTUBE_UPSTREAM_CHUNK_BYTES=BYTES (nginx's slice size) beside the default.
 * Every process started here is stopped by its PID, also on failure and on Ctrl-C.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
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
  quantile,
  rotated,
  startNginx as startProbeNginx,
  startProbeYouTube,
  stopProbe,
  stopProbeOnSignals,
} from "./lib/probe-kit.ts";
import { fixed, formatSpread, ratio, spreadOf } from "./lib/stats.ts";

const flag = flagValue;
const REPS = Number(flag("--reps", "7"));
const CONC_REPS = Number(flag("--conc-reps", "3"));
const TTFB_N = Number(flag("--ttfb", "20"));
const BASELINE = flag("--baseline", undefined);
const SLICE = flag("--slice", undefined);
const VARIANTS = flagValues("--variant");

const ORIGIN_PORT = 28080;
const TUNED_PORT = 28106;
const dataDir = join(peersWorkDir(), "data");
const workDir = join(REPO, "bench", ".work", `probe-${new Date().toISOString().replace(/[:.]/g, "-")}`);
mkdirSync(workDir, { recursive: true });

/** run.sh's nginx-tuned: an upstream with keepalive, unbuffered, 256k buffers, 2 workers. */
const TUNED_HTTP = `  upstream origin { server 127.0.0.1:@ORIGIN_PORT@; keepalive 32; }
  server {
    listen 127.0.0.1:@PORT@;
    location ~ ^/download/([^/]+)$ {
      set $tok $1;
      proxy_pass http://origin/$tok;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_max_temp_file_size 0;
      add_header Content-Disposition 'attachment; filename="$tok"';
      proxy_buffering off; proxy_buffer_size 256k; proxy_buffers 8 256k;
    }
  }`;

/** Starts an nginx of this probe, `@ORIGIN_PORT@` naming the origin's port. */
const startNginx = (name: string, port: number, workers: number, http: string) =>
  startProbeNginx(workDir, name, port, workers, http, { ORIGIN_PORT: String(ORIGIN_PORT) });

/**
 * 16 curl processes at once, each fetching `url` 8 times over one kept-alive connection (as
 * run.sh's concurrency phase): aggregate MiB/s of the good bytes, over the batch's wall time.
 */
async function concurrent(url: string, clients = 16, each = 8): Promise<number> {
  const t0 = performance.now();
  const sizes = await Promise.all(
    Array.from({ length: clients }, async () => {
      const args = Array.from({ length: each }, () => ["-o", "/dev/null", url]).flat();
      const proc = Bun.spawn(["curl", "-s", "-f", "-w", "%{size_download}\n", ...args], {
        stdout: "pipe",
        stderr: "ignore",
      });
      const out = await new Response(proc.stdout).text();
      await proc.exited;
      return out.split("\n").reduce((sum, n) => sum + (Number(n) || 0), 0);
    }),
  );
  const bytes = sizes.reduce((a, b) => a + b, 0);
  return bytes / 2 ** 20 / ((performance.now() - t0) / 1000);
}

interface Peer {
  readonly name: string;
  /** The URL of each file by its name. */
  readonly urls: Record<"big.mp4" | "small.mp4", string>;
}

stopProbeOnSignals();

async function main() {
  const files = peerFiles(peersWorkDir());
  await startNginx("origin", ORIGIN_PORT, 1, originHttp(ORIGIN_PORT, dataDir));
  await startNginx("nginx-tuned", TUNED_PORT, 2, TUNED_HTTP);
  const origin = `http://127.0.0.1:${ORIGIN_PORT}`;
  const peers: Peer[] = [
    { name: "direct", urls: { "big.mp4": `${origin}/big.mp4`, "small.mp4": `${origin}/small.mp4` } },
    {
      name: "nginx-tuned",
      urls: {
        "big.mp4": `http://127.0.0.1:${TUNED_PORT}/download/big.mp4`,
        "small.mp4": `http://127.0.0.1:${TUNED_PORT}/download/small.mp4`,
      },
    },
  ];
  for (const [i, variant] of VARIANTS.entries()) {
    const [name, file] = variant.split("=");
    if (name === undefined || file === undefined) throw new Error(`--variant ${variant}: name=file.conf`);
    const port = TUNED_PORT + 10 + i;
    await startNginx(name, port, 2, readFileSync(file, "utf8"));
    const base = `http://127.0.0.1:${port}/download/`;
    peers.push({ name, urls: { "big.mp4": `${base}big.mp4`, "small.mp4": `${base}small.mp4` } });
  }

  const youtubeOrigin = await startProbeYouTube(origin, files);
  const gateways = [
    { name: "downtube+nginx", mode: "nginx", repo: REPO, env: undefined },
    { name: "gateway", mode: "js", repo: REPO, env: undefined },
  ] as const;
  const baselines =
    BASELINE === undefined
      ? []
      : gateways.map((g) => ({ ...g, name: `${g.name} (baseline)`, repo: BASELINE }));
  const sliced =
    SLICE === undefined
      ? []
      : [
          {
            name: `downtube+nginx (slice ${SLICE})`,
            mode: "nginx",
            repo: REPO,
            env: { DOWNTUBE_UPSTREAM_CHUNK_BYTES: SLICE },
          } as const,
        ];
  for (const { name, mode, repo, env } of [...gateways, ...baselines, ...sliced]) {
    const gateway = await startGatewayProcess(
      youtubeOrigin,
      workDir,
      mode,
      repo,
      env,
      env === undefined ? "" : "-slice",
    );
    peers.push({
      name,
      urls: await mintPeerUrls(gateway.url, files),
    });
  }

  // One warm-up download each (connections, caches, the offload mode's first redirect).
  for (const peer of peers) await curl(peer.urls["small.mp4"]);
  const speeds = new Map(peers.map((p) => [p.name, [] as number[]]));
  const before = cpuJiffies();
  const t0 = performance.now();
  await rotated(
    peers,
    REPS,
    async (peer) => {
      const big = await curl(peer.urls["big.mp4"]);
      if (big !== undefined) speeds.get(peer.name)?.push(big.speed / 2 ** 20);
    },
    (round) => console.error(`big.mp4: round ${round}/${REPS} done`),
  );
  // First bytes one download at a time, peers alternating, so a burst of load hits all alike.
  const ttfbs = await firstBytes(peers, TTFB_N);
  const aggregate = new Map(peers.map((p) => [p.name, [] as number[]]));
  for (let rep = 0; rep < CONC_REPS; rep++) {
    for (let i = 0; i < peers.length; i++) {
      const peer = peers[(i + rep) % peers.length];
      if (peer !== undefined) aggregate.get(peer.name)?.push(await concurrent(peer.urls["small.mp4"]));
    }
    console.error(`16 clients: round ${rep + 1}/${CONC_REPS} done`);
  }
  const after = cpuJiffies();
  const seconds = (performance.now() - t0) / 1000;

  const tuned = {
    speed: spreadOf(speeds.get("nginx-tuned") ?? []),
    ttfb: spreadOf(ttfbs.get("nginx-tuned") ?? []),
  };
  console.log(`\nreps ${REPS}, ${TTFB_N} TTFB downloads per peer, ${seconds.toFixed(0)} s`);
  console.log(
    `machine busy ${fixed((100 * (after.busy - before.busy)) / (after.total - before.total))}% of all cores during the run (this probe included)`,
  );
  const tunedAggregate = spreadOf(aggregate.get("nginx-tuned") ?? []);
  console.log(
    "| peer | MiB/s big.mp4 | ÷ nginx-tuned | TTFB16 ms | − nginx-tuned ms | TTFB16 p25 ms | − nginx-tuned ms | 16 clients MiB/s | ÷ nginx-tuned |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  const tunedP25 = quantile(ttfbs.get("nginx-tuned") ?? [], 0.25);
  for (const peer of peers) {
    const speed = spreadOf(speeds.get(peer.name) ?? []);
    const ttfb = spreadOf(ttfbs.get(peer.name) ?? []);
    const conc = spreadOf(aggregate.get(peer.name) ?? []);
    const p25 = quantile(ttfbs.get(peer.name) ?? [], 0.25);
    const delta =
      ttfb.median !== undefined && tuned.ttfb.median !== undefined
        ? ttfb.median - tuned.ttfb.median
        : undefined;
    console.log(
      `| ${peer.name} | ${formatSpread(speed)} | ${ratio(speed.median, tuned.speed.median)} | ${formatSpread(ttfb, 2)} | ${fixed(delta, 2)} | ${fixed(p25, 2)} | ${fixed(p25 - tunedP25, 2)} | ${formatSpread(conc)} | ${ratio(conc.median, tunedAggregate.median)} |`,
    );
  }
}

try {
  await main();
} catch (error) {
  console.error("offload probe failed:", error);
  process.exitCode = 1;
} finally {
  await stopProbe();
}
