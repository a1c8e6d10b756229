/**
 * What the focused probes (bench/offload-probe.ts, bench/js-path-probe.ts) share: nginx processes
 * of their own on 127.0.0.1 (run.sh's origin among them), single curl downloads, quantiles and the
 * machine's and a process's CPU time from /proc.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeYouTube } from "../../fake-youtube/server.ts";
import { mintDownload } from "./gateway.ts";
import { stopAllServers } from "./processes.ts";

/** An nginx.conf around an `http {}` body, as run.sh writes its own (foreground, its own temp paths). */
function nginxConf(dir: string, workers: number, http: string): string {
  const temps = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((t) => `  ${t}_temp_path ${dir}/tmp_${t};`)
    .join("\n");
  return `daemon off;\nmaster_process on;\nworker_processes ${workers};\npid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;\nevents { worker_connections 4096; }
http {\n${temps}\n  access_log off;\n${http}\n}\n`;
}

/** run.sh's origin: one worker, native Range, `sendfile off; output_buffers 2 1m`, serving `dataDir` on `port`. */
export function originHttp(port: number, dataDir: string): string {
  return `  keepalive_requests 100000;
  types { video/mp4 mp4; }
  default_type application/octet-stream;
  server { listen 127.0.0.1:${port}; root ${dataDir}; sendfile off; output_buffers 2 1m; }`;
}

/** nginx processes of the probe, stopped by their PID. */
const nginxes: { kill(signal: "SIGQUIT" | "SIGKILL"): void; exited: Promise<number> }[] = [];

/**
 * Starts an nginx in the foreground under `workDir/name`; resolves once its port answers.
 * `http` may use `@PORT@` (replaced by `port`) and any other `@NAME@` given in `vars`.
 * Resolves to the master's PID (its workers are its children).
 * @throws Error when nginx exits or does not listen within 5 s.
 */
export async function startNginx(
  workDir: string,
  name: string,
  port: number,
  workers: number,
  http: string,
  vars: Readonly<Record<string, string>> = {},
): Promise<number> {
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  let body = http.replaceAll("@PORT@", String(port));
  for (const [key, value] of Object.entries(vars)) body = body.replaceAll(`@${key}@`, value);
  writeFileSync(join(dir, "nginx.conf"), nginxConf(dir, workers, body));
  const proc = Bun.spawn(
    ["/usr/sbin/nginx", "-p", `${dir}/`, "-c", join(dir, "nginx.conf"), "-e", "stderr"],
    { stdin: "ignore", stdout: "ignore", stderr: "inherit" },
  );
  nginxes.push(proc);
  // nginx logs nothing once it listens: poll its port.
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`nginx ${name} exited with ${proc.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (up) return proc.pid;
    await Bun.sleep(50);
  }
  throw new Error(`nginx ${name} did not listen on ${port}`);
}

/** Stops every nginx started by {@link startNginx} (SIGQUIT: graceful) and waits for them. */
export async function stopNginxes(): Promise<void> {
  for (const nginx of nginxes) nginx.kill("SIGQUIT");
  await Promise.all(nginxes.map((n) => n.exited));
}

/** One curl download: bytes per second and seconds to the first byte, or undefined on failure. */
export async function curl(url: string): Promise<{ speed: number; ttfb: number } | undefined> {
  const proc = Bun.spawn(
    ["curl", "-s", "-f", "-o", "/dev/null", "-w", "%{speed_download} %{time_starttransfer}", url],
    { stdout: "pipe", stderr: "ignore" },
  );
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  const [speed, ttfb] = out.split(" ").map(Number);
  return code === 0 && speed !== undefined && ttfb !== undefined ? { speed, ttfb } : undefined;
}

/** The `q` quantile (nearest rank) of `values`; NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Busy and total jiffies of the whole machine so far (/proc/stat's first line). */
export function cpuJiffies(): { busy: number; total: number } {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1);
  const n = fields.map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - (n[3] ?? 0) - (n[4] ?? 0), total };
}

/** User + system CPU seconds of process `pid` so far (/proc/PID/stat, 100 ticks a second). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at state; utime, stime are 14, 15.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / 100;
}

/** A peer of a probe: a name and where each of run.sh's files is downloaded from it. */
export interface ProbePeer {
  readonly name: string;
  readonly urls: Record<"big.mp4" | "small.mp4", string>;
}

/** Download URLs of big.mp4 and small.mp4 minted by the gateway at `base`, valid an hour. */
export async function mintPeerUrls(
  base: URL,
  files: { readonly big: { readonly bytes: number }; readonly small: { readonly bytes: number } },
): Promise<ProbePeer["urls"]> {
  return {
    "big.mp4": await mintDownload(base, "PeerBig0001", 3600, files.big.bytes),
    "small.mp4": await mintDownload(base, "PeerSmall01", 3600, files.small.bytes),
  };
}

/**
 * `rounds` rounds of `measure` on every peer, one at a time, the order rotated every round so
 * that a burst of other load hits all peers alike; `onRound` is told of each finished round.
 */
export async function rotated<P>(
  peers: readonly P[],
  rounds: number,
  measure: (peer: P) => Promise<void>,
  onRound: (round: number) => void = () => undefined,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < peers.length; i++) {
      const peer = peers[(i + round) % peers.length];
      if (peer !== undefined) await measure(peer);
    }
    onRound(round + 1);
  }
}

/** `n` first bytes of small.mp4 per peer, in ms, peers alternating (see {@link rotated}). */
export async function firstBytes(peers: readonly ProbePeer[], n: number): Promise<Map<string, number[]>> {
  const ttfbs = new Map(peers.map((p) => [p.name, [] as number[]]));
  await rotated(peers, n, async (peer) => {
    const small = await curl(peer.urls["small.mp4"]);
    if (small !== undefined) ttfbs.get(peer.name)?.push(small.ttfb * 1000);
  });
  return ttfbs;
}

/** The value after `--name` on the command line, `fallback` without it (undefined: absent). */
export function flagValue<T extends string | undefined>(name: string, fallback: T): string | T {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
}

/** Every value given after a repeatable `--name`. */
export function flagValues(name: string): string[] {
  return process.argv.flatMap((arg, i) => (process.argv[i - 1] === name ? [arg] : []));
}

let youtube: Awaited<ReturnType<typeof startFakeYouTube>> | undefined;

/**
 * Starts the simulated YouTube of the probe, whose two extra videos (PeerBig0001, PeerSmall01)
 * are run.sh's files on `origin`; {@link stopProbe} stops it. Returns its origin URL.
 */
export async function startProbeYouTube(
  origin: string,
  files: { readonly big: { readonly bytes: number }; readonly small: { readonly bytes: number } },
): Promise<string> {
  youtube = await startFakeYouTube({
    externalMedia: {
      PeerBig0001: { url: `${origin}/big.mp4`, bytes: files.big.bytes },
      PeerSmall01: { url: `${origin}/small.mp4`, bytes: files.small.bytes },
    },
  });
  return youtube.origin;
}

/** Stops everything the probe started (servers, the simulated YouTube, nginxes), each by its PID. */
export async function stopProbe(): Promise<void> {
  await stopAllServers();
  await youtube?.stop();
  await stopNginxes();
}

/** Ctrl-C and SIGTERM stop everything the probe started before it exits. */
export function stopProbeOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void stopProbe().finally(() => process.exit(130)));
  }
}
