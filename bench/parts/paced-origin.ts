/**
 * `npm run bench -- origin`: one download against an origin that behaves like a real one.
 *
 * The origin is nginx answering every request after 10 ms and pacing each connection to 32 MiB/s
 * (bench/lib/paced-origin.ts), serving the first 256 MiB of run.sh's big.mp4. Side by side, in one
 * run, interleaved with the order rotated every repetition: curl straight from it (one
 * connection), nginx-tuned (one proxied request), nginx's slice module (ranged reads one after
 * another), downtube with one range in flight, downtube at its defaults, and downtube offloading
 * to nginx. Each download: MiB/s, time to first byte, the serving process tree's peak memory above
 * its idle, and the requests and connections the origin saw. Then 16 concurrent downloads
 * through downtube at its defaults: the gateway's peak memory against idle + 16 × 16 MiB.
 */
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { startFakeYouTube } from "../../fake-youtube/server.ts";
import { loadConfig } from "../../src/config/config.ts";
import { type BenchContext, flagValue, type PartResult } from "../lib/bench-context.ts";
import { curlDownload, curlSha256 } from "../lib/curl.ts";
import { mintDownload, startGatewayProcess } from "../lib/gateway.ts";
import { stopNginxes } from "../lib/nginx.ts";
import { type Pacing, pacedFile, startPacedOrigin, startTunedProxy } from "../lib/paced-origin.ts";
import {
  BEFORE,
  type PacedPeer,
  type PacedResults,
  type PacedRun,
  pacedReport,
} from "../lib/paced-report.ts";
import { ensureSetup, peersWorkDir } from "../lib/peers.ts";
import { cpuJiffies, sampleTreeRss, treeRss } from "../lib/proc-stat.ts";
import { startSliceReference } from "../lib/slice-reference.ts";

const MiB = 2 ** 20;
const PACING = { firstByteMs: 10, rate: "32m" };
const VIDEO_ID = "PacedOrig01";
const CONCURRENT = 16;

async function fileSha256(path: string, range?: { start: number; end: number }): Promise<string> {
  const file = Bun.file(path);
  const hash = createHash("sha256");
  const reader = (range === undefined ? file : file.slice(range.start, range.end + 1)).stream().getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) hash.update(read.value);
  return hash.digest("hex");
}

/** The origin part: see the file's comment. */
export function pacedOriginPart(context: BenchContext): Promise<PartResult> {
  return originRuns(context, PACING);
}

/**
 * The same runs against run.sh's kind of origin (loopback, no delay, no pacing), where the machine
 * and not a connection limits a download: nothing may be slower there than before. With
 * `--baseline DIR`, the JS path of that checkout runs beside the others.
 */
export function loopbackOriginPart(context: BenchContext): Promise<PartResult> {
  return originRuns(context, {});
}

async function originRuns(context: BenchContext, pacing: Pacing): Promise<PartResult> {
  const { quick, workDir, env } = context;
  const reps = quick ? 1 : 3;
  const fileBytes = (quick ? 64 : 256) * MiB;
  await ensureSetup(context);
  const dataDir = join(os.tmpdir(), "downtube-bench-paced");
  mkdirSync(dataDir, { recursive: true });
  const path = pacedFile(join(peersWorkDir(env), "data", "big.mp4"), dataDir, fileBytes);
  const wholeSha = await fileSha256(path);
  const rangeSha = await fileSha256(path, { start: 1000, end: 1999 });

  const origin = await startPacedOrigin(workDir, dataDir, pacing);
  const youtube = await startFakeYouTube({
    externalMedia: { [VIDEO_ID]: { url: `http://${origin.host}/paced.mp4`, bytes: fileBytes } },
  });
  context.onStop(() => youtube.stop());
  const defaults = loadConfig({});
  const tuned = await startTunedProxy(workDir, origin.host);
  const slices = await startSliceReference(workDir, origin.host, defaults.offload.sliceBytes);
  const oneRange = await startGatewayProcess(
    youtube.origin,
    workDir,
    "js",
    undefined,
    {
      DOWNTUBE_ORIGIN_PARALLEL_RANGES: "1",
    },
    "-paced-1-range",
  );
  const gateway = await startGatewayProcess(youtube.origin, workDir, "js", undefined, {}, "-paced");
  const offload = await startGatewayProcess(youtube.origin, workDir, "nginx", undefined, {}, "-paced");
  const baselineDir = flagValue("--baseline");
  const before =
    baselineDir === undefined
      ? undefined
      : await startGatewayProcess(youtube.origin, workDir, "js", baselineDir);
  const mint = (base: URL) => mintDownload(base, VIDEO_ID, 86_400, fileBytes);
  const peers: PacedPeer[] = [
    { name: "direct (curl, one connection)", url: `http://${origin.host}/paced.mp4`, pid: undefined },
    { name: "nginx-tuned", url: `${tuned.urlPrefix}paced.mp4`, pid: tuned.pid },
    { name: "nginx-slices", url: `${slices.urlPrefix}paced.mp4`, pid: slices.pid },
    { name: "downtube, 1 range in flight", url: await mint(oneRange.url), pid: oneRange.pid },
    { name: "downtube, default", url: await mint(gateway.url), pid: gateway.pid },
    { name: "downtube, offload (nginx)", url: await mint(offload.url), pid: offload.pid },
    ...(before === undefined ? [] : [{ name: BEFORE, url: await mint(before.url), pid: before.pid }]),
  ];

  console.log("\n== bench origin: correctness (sha256 of the whole file, Range 1000-1999), one each");
  const correct = new Map<string, { sha: boolean; range: boolean }>();
  for (const peer of peers) {
    const sha = (await curlSha256(peer.url)) === wholeSha;
    const range = (await curlSha256(peer.url, "1000-1999")) === rangeSha;
    correct.set(peer.name, { sha, range });
    console.log(`  ${peer.name.padEnd(32)} sha256 ${sha ? "ok" : "WRONG"}, range ${range ? "ok" : "WRONG"}`);
  }

  console.log(`\n== bench origin: ${reps} × one download per peer, rotated`);
  const busyBefore = cpuJiffies();
  const runs = new Map<string, PacedRun[]>(peers.map((p) => [p.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < peers.length; i++) {
      const peer = peers[(i + rep) % peers.length];
      if (peer === undefined) continue;
      const run = await measureOne(peer, origin);
      runs.get(peer.name)?.push(run);
      console.log(
        `  rep ${rep + 1} ${peer.name.padEnd(32)} ${run.mibPerSecond.toFixed(1)} MiB/s, first byte ${run.ttfbMs.toFixed(1)} ms, ` +
          `${run.requests} requests on ${run.connections} connections`,
      );
    }
  }

  console.log(`\n== bench origin: ${CONCURRENT} concurrent downloads through downtube, default`);
  const concurrent = await measureConcurrent(gateway.pid, await mint(gateway.url), fileBytes, origin);
  console.log(concurrent);
  // The same load straight from the origin: what 16 single connections get from it at once.
  const direct = await measureConcurrent(origin.pid, `http://${origin.host}/paced.mp4`, fileBytes, origin);
  console.log(`  straight from the origin: ${direct.aggregateMiBps.toFixed(1)} MiB/s`);
  const busyAfter = cpuJiffies();
  await Promise.all([oneRange.stop(), gateway.stop(), offload.stop(), before?.stop()]);
  await stopNginxes();
  await youtube.stop();

  const results: PacedResults = {
    fileBytes,
    reps,
    pacing,
    chunkBytes: defaults.youtube.chunkBytes,
    parallelRanges: defaults.origin.parallelRanges,
    sliceBytes: defaults.offload.sliceBytes,
    peers,
    runs,
    correct,
    concurrent: { ...concurrent, directMiBps: direct.aggregateMiBps },
    machineBusy: (busyAfter.busy - busyBefore.busy) / Math.max(1, busyAfter.total - busyBefore.total),
  };
  const report = pacedReport(results, context);
  const allCorrect = [...correct.values()].every((c) => c.sha && c.range) && concurrent.complete;
  return { markdown: report.markdown, headline: report.headline, ok: allCorrect };
}

/** One download through `peer`, with its memory and the origin's view of it. */
async function measureOne(
  peer: PacedPeer,
  origin: Awaited<ReturnType<typeof startPacedOrigin>>,
): Promise<PacedRun> {
  const mark = origin.mark();
  const before = peer.pid === undefined ? 0 : treeRss(peer.pid);
  const sampler = peer.pid === undefined ? undefined : sampleTreeRss(peer.pid);
  const run = await curlDownload(peer.url);
  const peak = sampler?.stop();
  // nginx logs a request once it has sent its last byte, around when curl ends: let it land.
  await Bun.sleep(100);
  return {
    mibPerSecond: run.bytesPerSecond / MiB,
    ttfbMs: run.ttfbSeconds * 1000,
    peakMiB: peak === undefined ? undefined : (peak - before) / MiB,
    ...origin.requestsSince(mark),
  };
}

/** `CONCURRENT` downloads of `url` at once; the gateway's memory and the origin's view meanwhile. */
async function measureConcurrent(
  pid: number,
  url: string,
  fileBytes: number,
  origin: Awaited<ReturnType<typeof startPacedOrigin>>,
): Promise<Omit<PacedResults["concurrent"], "directMiBps">> {
  const idle = treeRss(pid);
  const mark = origin.mark();
  const sampler = sampleTreeRss(pid);
  const started = performance.now();
  const downloads = await Promise.all(
    Array.from({ length: CONCURRENT }, () => curlDownload(url).catch(() => undefined)),
  );
  const seconds = (performance.now() - started) / 1000;
  const peak = sampler.stop();
  await Bun.sleep(100);
  const complete = downloads.every((d) => d?.bytes === fileBytes);
  return {
    downloads: CONCURRENT,
    idleMiB: idle / MiB,
    peakMiB: peak / MiB,
    aggregateMiBps: downloads.reduce((sum, d) => sum + (d?.bytes ?? 0), 0) / MiB / seconds,
    ...origin.requestsSince(mark),
    complete,
  };
}
