/**
 * `bun bench/fetch-ranged-probe.ts`: what Bun's own `fetch` costs to read run.sh's big.mp4
 * (512 MiB) from an nginx origin (as run.sh configures it) on 127.0.0.1, with nothing of the
 * gateway: in one request, in one request with a Range of the whole file, and in consecutive
 * ranged requests of 10 MiB (the default DOWNTUBE_UPSTREAM_CHUNK_BYTES) and of 64 MiB, the latter
 * also with the next request made before the current body is read (as the gateway's ranged reads
 * do). Interleaved, `--reps N` (default 5) rounds with the order rotated; prints MiB/s, this
 * process's CPU s/GiB and how many reads the body took, median [min–max] of each, and how busy
 * the machine was. The JS path's ranged reads (src/sources/ranged-fetch.ts) start from here.
 */
import { join } from "node:path";
import { REPO } from "./lib/gateway.ts";
import { peersWorkDir } from "./lib/peers.ts";
import { cpuJiffies, flagValue, originHttp, rotated, startNginx, stopNginxes } from "./lib/probe-kit.ts";
import { fixed, formatSpread, spreadOf } from "./lib/stats.ts";

const REPS = Number(flagValue("--reps", "5"));
const ORIGIN_PORT = 28280;
const URL_BIG = `http://127.0.0.1:${ORIGIN_PORT}/big.mp4`;
const MiB = 2 ** 20;
const workDir = join(REPO, "bench", ".work", `fetch-probe-${new Date().toISOString().replace(/[:.]/g, "-")}`);

/** Reads a body to its end: its bytes and how many reads it took. */
async function drain(response: Response): Promise<{ bytes: number; reads: number }> {
  if (response.body === null) throw new Error(`no body (HTTP ${response.status})`);
  const reader = response.body.getReader();
  let bytes = 0;
  let reads = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    bytes += read.value.byteLength;
    reads++;
  }
  return { bytes, reads };
}

/** A ranged request for `start`–`end` (inclusive) of big.mp4. */
const ranged = (start: number, end: number) =>
  fetch(URL_BIG, { headers: { Range: `bytes=${start}-${end}` } });

/** big.mp4 in ranged requests of `chunk` bytes; with `ahead`, each next one asked before the current body is read. */
async function inChunks(size: number, chunk: number, ahead: boolean) {
  let total = { bytes: 0, reads: 0 };
  let next: Promise<Response> | undefined = ranged(0, Math.min(chunk, size) - 1);
  for (let start = 0; start < size; start += chunk) {
    const response: Response = await (next ?? ranged(start, Math.min(start + chunk, size) - 1));
    const after = start + chunk;
    next = ahead && after < size ? ranged(after, Math.min(after + chunk, size) - 1) : undefined;
    const part = await drain(response);
    total = { bytes: total.bytes + part.bytes, reads: total.reads + part.reads };
  }
  return total;
}

async function main() {
  await startNginx(workDir, "origin", ORIGIN_PORT, 1, originHttp(ORIGIN_PORT, join(peersWorkDir(), "data")));
  const size = Number((await fetch(URL_BIG, { method: "HEAD" })).headers.get("content-length"));
  const ways: Record<string, () => Promise<{ bytes: number; reads: number }>> = {
    "one request": async () => drain(await fetch(URL_BIG)),
    "one request, Range of all": async () => drain(await ranged(0, size - 1)),
    "10 MiB ranges": () => inChunks(size, 10 * MiB, false),
    "10 MiB ranges, next asked ahead": () => inChunks(size, 10 * MiB, true),
    "64 MiB ranges": () => inChunks(size, 64 * MiB, false),
  };
  const names = Object.keys(ways);
  const speed = new Map(names.map((n) => [n, [] as number[]]));
  const cpu = new Map(names.map((n) => [n, [] as number[]]));
  const reads = new Map(names.map((n) => [n, [] as number[]]));
  const before = cpuJiffies();
  await rotated(names, REPS, async (name) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const got = await (ways[name] ?? (() => Promise.reject(new Error(name))))();
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    if (got.bytes !== size) throw new Error(`${name}: ${got.bytes} bytes of ${size}`);
    speed.get(name)?.push(size / MiB / seconds);
    cpu.get(name)?.push((used.user + used.system) / 1e6 / (size / 2 ** 30));
    reads.get(name)?.push(got.reads);
  });
  const after = cpuJiffies();
  console.log(
    `reps ${REPS}; machine busy ${fixed((100 * (after.busy - before.busy)) / (after.total - before.total))}% of all cores (this probe and its origin included)`,
  );
  console.log("| way | MiB/s | CPU s/GiB | reads |\n| --- | --- | --- | --- |");
  for (const name of names) {
    const row = [speed, cpu, reads].map((m, i) => formatSpread(spreadOf(m.get(name) ?? []), i === 1 ? 2 : 0));
    console.log(`| ${name} | ${row.join(" | ")} |`);
  }
}

try {
  await main();
} catch (error) {
  console.error("fetch probe failed:", error);
  process.exitCode = 1;
} finally {
  await stopNginxes();
}
