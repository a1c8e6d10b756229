/**
 * `npm run bench -- memory`: does streaming a large format keep the gateway's memory flat?
 *
 * Starts the simulated YouTube with a large synthetic format (1 GiB by default, `--bytes N`), the
 * gateway as its own process (as `npm start` runs it, so its memory is its own), mints a download
 * and pulls it with curl, sampling the gateway's RSS from /proc every 50 ms. Growth is reported
 * twice: from idle after a 16 MiB warm-up download (as the peers harness counts idle) and from a
 * process that has streamed nothing yet; the part fails if either passes the 64 MiB budget.
 */
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { startFakeYouTube } from "../../fake-youtube/server.ts";
import { type BenchContext, flagValue, type PartResult } from "../lib/bench-context.ts";
import { mintDownload, startGatewayProcess } from "../lib/gateway.ts";
import { memoryOf } from "../lib/proc-stat.ts";

const MiB = 1024 * 1024;
const BUDGET = 64 * MiB;

/** Samples `pid`'s RSS every 50 ms until stopped; returns the highest seen. */
function peakSampler(pid: number, from: number) {
  let peak = from;
  const timer = setInterval(() => {
    peak = Math.max(peak, memoryOf(pid).rss);
  }, 50);
  return {
    stop(): number {
      clearInterval(timer);
      return Math.max(peak, memoryOf(pid).rss);
    },
  };
}

/** The memory part: see the file's comment. */
export async function memoryPart(context: BenchContext): Promise<PartResult> {
  const given = flagValue("--bytes");
  const bytes = given !== undefined ? Number(given) : context.quick ? 256 * MiB : 1024 * MiB;
  const youtube = await startFakeYouTube({ largeMedia: { itag: 18, bytes } });
  context.onStop(() => youtube.stop());
  const gateway = await startGatewayProcess(youtube.origin, context.workDir, "js", undefined, {}, "-memory");
  const url = await mintDownload(gateway.url, VIDEO_IDS.large, 3600, bytes);
  const fresh = memoryOf(gateway.pid);
  const freshSampler = peakSampler(gateway.pid, fresh.rss);

  // Warm-up, as the peers harness does before it reads RSSidle: a first 16 MiB range streams
  // through every code path once (JIT, buffer pools), so what follows measures what streaming
  // costs a running gateway, not what a first request costs a fresh process.
  const warmUpBytes = Math.min(16 * MiB, bytes);
  await fetch(url, { headers: { Range: `bytes=0-${warmUpBytes - 1}` } }).then((r) => r.arrayBuffer());
  Bun.gc(true);
  const idle = memoryOf(gateway.pid);
  const sampler = peakSampler(gateway.pid, idle.rss);
  const started = performance.now();
  const curl = Bun.spawn(["curl", "-sS", "-o", "/dev/null", "-w", "%{size_download}", url], {
    stdout: "pipe",
  });
  const received = Number(await new Response(curl.stdout).text());
  const seconds = (performance.now() - started) / 1000;
  const peak = sampler.stop();
  const freshPeak = Math.max(freshSampler.stop(), peak);
  await gateway.stop();

  const growth = peak - idle.rss;
  const freshGrowth = freshPeak - fresh.rss;
  const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
  const throughput = received / MiB / seconds;
  const rows = [
    ["file size", `${(bytes / MiB).toFixed(0)} MiB`],
    ["bytes received", `${received} (${received === bytes ? "complete" : "INCOMPLETE"})`],
    ["throughput", `${throughput.toFixed(0)} MiB/s (origin, gateway and curl on one machine)`],
    ["gateway RSS idle (after a 16 MiB warm-up download)", mib(idle.rss)],
    ["gateway RSS peak while streaming", mib(peak)],
    ["growth", `${mib(growth)} (budget: 64 MiB)`],
    ["gateway RSS before any download (after prepareDownload)", mib(fresh.rss)],
    ["growth counted from there (warm-up and large download)", `${mib(freshGrowth)} (budget: 64 MiB)`],
  ];
  const markdown = [
    `# Streaming memory, ${context.started.toISOString()}`,
    "",
    `Bun ${Bun.version}, ${navigator.hardwareConcurrency} cores. Command: \`npm run bench -- memory\` ` +
      "(bench/parts/memory.ts); the gateway at its defaults (ranges in flight included).",
    "",
    "| measure | value |",
    "|---|---|",
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    "",
  ].join("\n");
  console.log(markdown);
  return {
    markdown,
    headline: `${(bytes / MiB).toFixed(0)} MiB through the JS path: ${throughput.toFixed(0)} MiB/s, +${mib(growth)} RSS`,
    ok: received === bytes && Math.max(growth, freshGrowth) <= BUDGET,
  };
}
