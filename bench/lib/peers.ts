/**
 * Calls the shared peer baselines (`shared/peers/setup.sh` and `run.sh`, read-only, beside the
 * repository) and reads what `run.sh` leaves in its results directory.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { eachChunk } from "./processes.ts";

/** `<repo>/../shared/peers`, where CI and the founding machine keep the peer scripts. */
export const PEERS_DIR = resolve(import.meta.dir, "../../../shared/peers");

/** Where the scripts keep data, results and their Bun: `$PEERS_WORK` or `$TMPDIR/downtube-peers`. */
export function peersWorkDir(env: Record<string, string | undefined> = process.env): string {
  return env.PEERS_WORK || join(env.TMPDIR || "/tmp", "downtube-peers");
}

/** The two files `setup.sh` generates and every peer serves. */
export interface PeerFiles {
  readonly big: { readonly name: "big.mp4"; readonly bytes: number };
  readonly small: { readonly name: "small.mp4"; readonly bytes: number };
}

/** Sizes of the generated files (after {@link runSetup}). */
export function peerFiles(workDir: string): PeerFiles {
  const size = (name: string) => statSync(join(workDir, "data", name)).size;
  return {
    big: { name: "big.mp4", bytes: size("big.mp4") },
    small: { name: "small.mp4", bytes: size("small.mp4") },
  };
}

/**
 * Collects a child's stdout while echoing it, and its exit code; the child is killed if it
 * outlives `timeoutMs` (the scripts bound themselves, this is a second fence).
 */
async function runEchoed(
  cmd: string[],
  env: Record<string, string | undefined>,
  timeoutMs: number,
  onSpawn: (kill: () => void) => void,
): Promise<{ code: number; stdout: string }> {
  const proc = Bun.spawn(cmd, { cwd: PEERS_DIR, env, stdout: "pipe", stderr: "inherit", stdin: "ignore" });
  onSpawn(() => proc.kill("SIGTERM"));
  const timer = setTimeout(() => proc.kill("SIGTERM"), timeoutMs);
  let stdout = "";
  const decoder = new TextDecoder();
  await eachChunk(proc.stdout, (chunk) => {
    process.stdout.write(chunk);
    stdout += decoder.decode(chunk, { stream: true });
  });
  const code = await proc.exited;
  clearTimeout(timer);
  return { code, stdout };
}

/** A way to stop the script currently running (SIGTERM: its own trap stops what it started). */
let stopCurrent: (() => void) | undefined;

/** Stops `setup.sh` or `run.sh` if one is running (on Ctrl-C). */
export function stopPeerScript(): void {
  stopCurrent?.();
}

/**
 * Runs `setup.sh` (idempotent: installs the peers when root, generates the data once) and
 * returns the versions it reports.
 * @throws Error when the scripts are missing or setup fails.
 */
export async function runSetup(env: Record<string, string | undefined>): Promise<string> {
  if (!existsSync(join(PEERS_DIR, "run.sh"))) {
    throw new Error(`no peer scripts at ${PEERS_DIR}: the shared/ folder must sit beside the repository`);
  }
  const { code, stdout } = await runEchoed(["bash", "setup.sh"], env, 15 * 60_000, (kill) => {
    stopCurrent = kill;
  });
  stopCurrent = undefined;
  if (code !== 0) throw new Error(`setup.sh exited with ${code}`);
  return stdout.slice(stdout.indexOf("versions:")).trim();
}

let setupDone: Promise<string> | undefined;

/**
 * Once per bench run: `setup.sh` (unless `--skip-setup`) and `scripts/setup-nginx.sh` (nginx with
 * its slice and js modules). Returns the peers' versions for the results' header.
 * @throws Error when either fails.
 */
export function ensureSetup(context: {
  readonly skipSetup: boolean;
  readonly env: Record<string, string | undefined>;
}): Promise<string> {
  setupDone ??= (async () => {
    if (context.skipSetup) return "(setup.sh skipped: --skip-setup)";
    console.log("\n== bench: setup.sh");
    const versions = await runSetup(context.env);
    const nginx = Bun.spawnSync(["bash", "scripts/setup-nginx.sh"], {
      cwd: resolve(import.meta.dir, "../.."),
      stdout: "inherit",
      stderr: "inherit",
    });
    if (nginx.exitCode !== 0) throw new Error("scripts/setup-nginx.sh failed");
    return versions;
  })();
  return setupDone;
}

/** Knobs of `run.sh` (see its README). */
export interface RunKnobs {
  readonly REPS: number;
  readonly CONC: number;
  readonly CONC_N: number;
  readonly CONC_REPS: number;
  readonly TTFB_N: number;
  readonly MAX_S: number;
  /** run.sh's own peers to start (space-separated); all of them without it. */
  readonly PEERS?: string;
}

/** A server measured by `run.sh` besides its own peers, with its own URL per file. */
export interface ExtraPeer {
  readonly name: string;
  readonly pid: number;
  /** Used for files without an entry in `urls`. */
  readonly urlPrefix: string;
  /** Full URL per file name (e.g. a download token URL). */
  readonly urls: Readonly<Record<string, string>>;
}

/**
 * Runs `run.sh` with `extras` measured alongside its peers and returns its results directory.
 * @throws Error when it fails or names no results directory.
 */
export async function runPeers(
  knobs: RunKnobs,
  extras: readonly ExtraPeer[],
  env: Record<string, string | undefined>,
): Promise<string> {
  const runEnv = {
    ...env,
    ...Object.fromEntries(Object.entries(knobs).map(([k, v]) => [k, String(v)])),
    EXTRA_PEERS: extras.map((extra) => `${extra.name}=${extra.urlPrefix}=${extra.pid}`).join(" "),
    EXTRA_URLS: extras
      .flatMap((extra) => Object.entries(extra.urls).map(([file, url]) => `${extra.name}:${file}=${url}`))
      .join(" "),
  };
  const { code, stdout } = await runEchoed(["bash", "run.sh"], runEnv, (knobs.MAX_S + 30) * 1000, (kill) => {
    stopCurrent = kill;
  });
  stopCurrent = undefined;
  const dir = /^results dir: (.+)$/m.exec(stdout)?.[1]?.trim();
  if (code !== 0 || dir === undefined) throw new Error(`run.sh exited with ${code}`);
  return dir;
}

/** What `run.sh` left in its results directory. */
export interface PeerResults {
  readonly dir: string;
  /** Peers in the order run.sh measured them (its own, then the extra ones). */
  readonly peers: readonly string[];
  /** Every value of `metric` recorded for `peer` (raw.tsv), as text. */
  values(peer: string, metric: string): string[];
  /** The same, as numbers (non-numeric values dropped). */
  numbers(peer: string, metric: string): number[];
  /** TTFB of each sequential small-file download, in ms (ttfb.<peer>.txt). */
  ttfbMs(peer: string): number[];
  /** The tables run.sh printed, with its machine and noise lines. */
  readonly table: string;
  /** The machine and noise lines alone. */
  readonly noise: readonly string[];
}

/** Reads raw.tsv, ttfb.*.txt and table.txt of a run.sh results directory. */
export function readPeerResults(dir: string): PeerResults {
  const raw = new Map<string, Map<string, string[]>>();
  for (const line of readFileSync(join(dir, "raw.tsv"), "utf8").split("\n")) {
    const [peer, metric, value] = line.split("\t");
    if (peer === undefined || metric === undefined || value === undefined) continue;
    const metrics = raw.get(peer) ?? new Map<string, string[]>();
    raw.set(peer, metrics);
    metrics.set(metric, [...(metrics.get(metric) ?? []), value]);
  }
  const values = (peer: string, metric: string) => raw.get(peer)?.get(metric) ?? [];
  const table = existsSync(join(dir, "table.txt")) ? readFileSync(join(dir, "table.txt"), "utf8") : "";
  return {
    dir,
    peers: [...raw.keys()],
    values,
    numbers: (peer, metric) => values(peer, metric).map(Number).filter(Number.isFinite),
    ttfbMs(peer) {
      const file = join(dir, `ttfb.${peer}.txt`);
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => Number(l) * 1000);
    },
    table,
    noise: table.split("\n").filter((l) => l.startsWith("machine (") || l.startsWith("noise:")),
  };
}
