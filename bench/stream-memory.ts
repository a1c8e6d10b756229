/**
 * `npm run bench:memory`: does streaming a large format keep the gateway's memory flat?
 *
 * Starts the simulated YouTube with a large synthetic format (1 GiB by default, `--bytes N`),
 * starts the gateway as its own process (`bun src/server.ts`, as `npm start` does) so its
 * memory is its own, prepares a download and pulls it with curl, sampling the gateway's RSS
 * from /proc every 50 ms. Growth is reported twice: from idle after a 16 MiB warm-up download
 * (as the peers harness counts idle) and from a process that has streamed nothing yet; the exit
 * code is 1 if either passes the 64 MiB budget. Writes a Markdown table to bench/results/.
 * `BENCH_BUN_FLAGS` passes flags to the gateway's Bun (e.g. `--cpu-prof-md
 * --cpu-prof-dir=/tmp/prof` to see where it spends its time).
 */
import { readFileSync } from "node:fs";
import { VIDEO_IDS } from "../fake-youtube/catalog.ts";
import { startFakeYouTube } from "../fake-youtube/server.ts";
import { prepareDownloadAt } from "../test/support/downloads.ts";
import { logLines } from "../test/support/log-lines.ts";

const MiB = 1024 * 1024;
const bytesArg = process.argv.indexOf("--bytes");
const bytes = bytesArg > 0 ? Number(process.argv[bytesArg + 1]) : 1024 * MiB;

function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib("VmRSS"), hwm: kib("VmHWM") };
}

const youtube = await startFakeYouTube({ largeMedia: { itag: 18, bytes } });
const gateway = Bun.spawn(
  [process.execPath, ...(process.env.BENCH_BUN_FLAGS?.split(" ").filter(Boolean) ?? []), "src/server.ts"],
  {
    cwd: new URL("..", import.meta.url).pathname,
    env: { ...process.env, NODE_ENV: "development", PORT: "0", DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin },
    stdout: "pipe",
    stderr: "inherit",
  },
);
try {
  const logs = logLines(gateway.stdout);
  const base = new URL(String((await logs.until("downtube listening")).url));
  logs.release();
  void gateway.stdout.pipeTo(new WritableStream()); // keep draining its access log
  const ticket = await prepareDownloadAt(new URL("/graphql", base), { url: VIDEO_IDS.large });
  const { url } = ticket;
  const contentLength = Number(ticket.contentLength);
  const fresh = memoryOf(gateway.pid);
  let freshPeak = fresh.rss;
  const freshSampler = setInterval(() => {
    freshPeak = Math.max(freshPeak, memoryOf(gateway.pid).rss);
  }, 50);

  // Warm-up, as the peers harness does before it reads RSSidle: a first 16 MiB range streams
  // through every code path once (JIT, buffer pools), so what follows measures what streaming
  // costs a running gateway, not what a first request costs a fresh process.
  const warmUpBytes = Math.min(16 * MiB, contentLength);
  await fetch(url, { headers: { Range: `bytes=0-${warmUpBytes - 1}` } }).then((r) => r.arrayBuffer());
  Bun.gc(true);
  const idle = memoryOf(gateway.pid);

  let peak = idle.rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, memoryOf(gateway.pid).rss);
  }, 50);
  const started = performance.now();
  const curl = Bun.spawn(["curl", "-sS", "-o", "/dev/null", "-w", "%{size_download}", url], {
    stdout: "pipe",
  });
  const received = Number(await new Response(curl.stdout).text());
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  clearInterval(freshSampler);
  const after = memoryOf(gateway.pid);
  peak = Math.max(peak, after.rss, after.hwm > idle.hwm ? after.hwm : 0);
  freshPeak = Math.max(freshPeak, peak, after.hwm);

  const growth = peak - idle.rss;
  const freshGrowth = freshPeak - fresh.rss;
  const rows = [
    ["file size", `${(contentLength / MiB).toFixed(0)} MiB`],
    ["bytes received", `${received} (${received === contentLength ? "complete" : "INCOMPLETE"})`],
    [
      "throughput",
      `${(received / MiB / seconds).toFixed(0)} MiB/s (origin, gateway and curl on one machine)`,
    ],
    ["gateway RSS idle (after a 16 MiB warm-up download)", `${(idle.rss / MiB).toFixed(1)} MiB`],
    ["gateway RSS peak while streaming", `${(peak / MiB).toFixed(1)} MiB`],
    ["growth", `${(growth / MiB).toFixed(1)} MiB (budget: 64 MiB)`],
    ["gateway RSS before any download (after prepareDownload)", `${(fresh.rss / MiB).toFixed(1)} MiB`],
    [
      "growth counted from there (warm-up and large download)",
      `${(freshGrowth / MiB).toFixed(1)} MiB (budget: 64 MiB)`,
    ],
  ];
  const date = new Date().toISOString();
  const table = [
    `# Streaming memory, ${date}`,
    "",
    `Bun ${Bun.version}, ${navigator.hardwareConcurrency} cores. Command: \`npm run bench:memory\`.`,
    "",
    "| measure | value |",
    "|---|---|",
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    "",
  ].join("\n");
  console.log(table);
  await Bun.write(new URL(`results/${date.slice(0, 10)}-stream-memory.md`, import.meta.url), table);
  if (received !== contentLength || Math.max(growth, freshGrowth) > 64 * MiB) process.exitCode = 1;
} finally {
  gateway.kill("SIGTERM");
  await gateway.exited;
  await youtube.stop();
}
