/**
 * `bun bench/audio-conversion.ts`: what audio files cost, on 127.0.0.1 only.
 *
 * 1. Makes two five-minute sources in `bench/.work/audio/` (once): Opus 160 kbit/s in WebM and
 *    AAC 128 kbit/s in MP4, as YouTube's itags 251 and 140 are, of a tone over pink noise.
 * 2. Conversion speed: the gateway's own ffmpeg job for an MP3 at 192 kbit/s (`audioJob` →
 *    `jobArguments`, input on fd 3, output discarded), run alone; the audio's length divided by the
 *    CPU time ffmpeg used (user + system) is the multiple of real time one core converts.
 * 3. Through the gateway (`bun src/server.ts`, production mode, its own process) against the
 *    simulated YouTube whose two extra videos' formats are those files: the time to the first byte
 *    of an MP3 (token to ID3 tag and first frames: metadata cached, cover fetched, ffmpeg started),
 *    and the wall time of whole MP3 and copied-OPUS downloads, one at a time.
 *
 * Flags: `--quick` (fewer repetitions). Prints a Markdown table; `benchAudioConversion` returns it
 * to a runner that imports this part. Every process started here is
 * stopped by its PID, also on failure.
 */
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { startFakeYouTube } from "../fake-youtube/server.ts";
import type { AudioDecision } from "../src/core/audio-output.ts";
import { audioJob } from "../src/download/jobs/audio-job.ts";
import { jobArguments } from "../src/media/ffmpeg-arguments.ts";
import { REPO, startGatewayProcess } from "./lib/gateway.ts";
import { graphql } from "./lib/graphql-client.ts";
import { stopAllServers } from "./lib/processes.ts";
import { fixed, formatSpread, spreadOf } from "./lib/stats.ts";

const SECONDS = 300;
const WORK = join(REPO, "bench/.work/audio");

/** The two sources: what YouTube's audio-only formats are, five minutes long. */
const SOURCES = [
  {
    name: "Opus 160k (itag 251)",
    itag: 251,
    file: "opus-300s.webm",
    args: ["-c:a", "libopus", "-b:a", "160k", "-f", "webm"],
  },
  {
    name: "AAC 128k (itag 140)",
    itag: 140,
    file: "aac-300s.m4a",
    args: ["-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4"],
  },
] as const;

async function run(cmd: string[], stdio: (number | "ignore" | "pipe")[] = ["ignore", "ignore", "pipe"]) {
  const proc = Bun.spawn(cmd, { stdio: stdio as never });
  const code = await proc.exited;
  if (code !== 0)
    throw new Error(`${cmd[0]} exited ${code}: ${await new Response(proc.stderr as never).text()}`);
  return proc;
}

/** Makes a source once: a 440 Hz tone over pink noise, stereo, at the codec's usual rate. */
async function ensureSource(source: (typeof SOURCES)[number]): Promise<string> {
  const path = join(WORK, source.file);
  if (existsSync(path)) return path;
  const rate = source.itag === 251 ? 48_000 : 44_100;
  await run([
    ...["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"],
    ...["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=${rate}:duration=${SECONDS}`],
    ...["-f", "lavfi", "-i", `anoisesrc=color=pink:amplitude=0.2:sample_rate=${rate}:duration=${SECONDS}`],
    ...["-filter_complex", "[0][1]amix=inputs=2,aformat=channel_layouts=stereo", "-vn"],
    ...source.args,
    path,
  ]);
  return path;
}

const MP3: AudioDecision = { file: "mp3", copy: false, bitrateKbps: 192, metadata: true };
const TAGS = { title: "A bench talk", artist: "downtube bench", date: "2026-12-04", comment: "https://x" };

/** CPU seconds ffmpeg takes to make an MP3 of `path` with the gateway's own arguments. */
async function conversionCpuSeconds(path: string): Promise<number> {
  const never = { open: () => Promise.reject(new Error("the bench feeds fd 3 itself")) };
  const job = audioJob(MP3, { source: never, tags: TAGS, cover: undefined });
  const fd = openSync(path, "r");
  try {
    const proc = await run(["ffmpeg", ...jobArguments(job)], ["ignore", "ignore", "pipe", fd]);
    const usage = proc.resourceUsage();
    if (usage === undefined) throw new Error("no resource usage for ffmpeg");
    return Number(usage.cpuTime.user + usage.cpuTime.system) / 1e6;
  } finally {
    closeSync(fd);
  }
}

/** A static origin with Range, as googlevideo serves the simulated videos' bytes. */
function serveFiles(files: Record<string, string>) {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = files[new URL(request.url).pathname];
      if (path === undefined) return new Response("not found", { status: 404 });
      const file = Bun.file(path);
      const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get("range") ?? "");
      if (range === null) return new Response(file, { headers: { "accept-ranges": "bytes" } });
      const start = Number(range[1]);
      const end = Math.min(range[2] === "" ? file.size - 1 : Number(range[2]), file.size - 1);
      return new Response(file.slice(start, end + 1), {
        status: 206,
        headers: { "content-range": `bytes ${start}-${end}/${file.size}`, "accept-ranges": "bytes" },
      });
    },
  });
}

async function mint(base: URL, videoId: string, audio: string): Promise<string> {
  const data = await graphql<{ prepareDownload: { url: string } }>(
    base,
    `mutation { prepareDownload(input: { url: "${videoId}", expiresIn: 86400, audio: ${audio} }) { url } }`,
  );
  return data.prepareDownload.url;
}

/** Milliseconds to the first body byte, and to the end, of one GET. */
async function timeDownload(url: string): Promise<{ firstMs: number; totalMs: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url);
  if (response.status !== 200 || response.body === null)
    throw new Error(`download answered ${response.status}`);
  const reader = response.body.getReader();
  let read = await reader.read();
  const firstMs = performance.now() - started;
  let bytes = 0;
  for (; !read.done; read = await reader.read()) bytes += read.value.byteLength;
  return { firstMs, totalMs: performance.now() - started, bytes };
}

/**
 * Runs the whole part and returns its report as Markdown (a heading, a table, a note).
 * `quick`: fewer repetitions, for a smoke run.
 */
export async function benchAudioConversion({ quick }: { quick: boolean }): Promise<string> {
  const REPS = quick ? 2 : 5;
  const TTFB_N = quick ? 5 : 20;
  mkdirSync(WORK, { recursive: true });
  const paths = await Promise.all(SOURCES.map(ensureSource));
  const rows: string[] = [];
  const load = () => os.loadavg()[0]?.toFixed(1);

  for (const [i, source] of SOURCES.entries()) {
    const cpu: number[] = [];
    for (let r = 0; r < REPS; r++) cpu.push(await conversionCpuSeconds(paths[i] ?? ""));
    const speed = spreadOf(cpu.map((seconds) => SECONDS / seconds));
    rows.push(`| MP3 192k from ${source.name}: × real time per core (CPU) | ${formatSpread(speed, 0)} |`);
  }

  const origin = serveFiles({ "/opus.webm": paths[0] ?? "", "/aac.m4a": paths[1] ?? "" });
  const sizes = paths.map((path) => Bun.file(path).size);
  const youtube = await startFakeYouTube({
    externalMedia: {
      BenchOpus01: { url: `http://127.0.0.1:${origin.port}/opus.webm`, bytes: sizes[0] ?? 0, itag: 251 },
      BenchAac001: { url: `http://127.0.0.1:${origin.port}/aac.m4a`, bytes: sizes[1] ?? 0, itag: 140 },
    },
  });
  const gateway = await startGatewayProcess(youtube.origin, WORK);
  try {
    const first: number[] = [];
    for (let n = 0; n < TTFB_N; n++)
      first.push(await timeDownloadHead(await mint(gateway.url, "BenchOpus01", "{ format: MP3 }")));
    rows.push(
      `| MP3 time to first byte, ms (Opus source, cover fetched) | ${formatSpread(spreadOf(first), 0)} |`,
    );
    for (const [videoId, output, label] of [
      ["BenchOpus01", "{ format: MP3 }", "MP3 192k from Opus"],
      ["BenchAac001", "{ format: MP3 }", "MP3 192k from AAC"],
      ["BenchOpus01", "{ format: OPUS }", "OPUS copied from WebM"],
    ] as const) {
      const walls: number[] = [];
      for (let r = 0; r < REPS; r++)
        walls.push((await timeDownload(await mint(gateway.url, videoId, output))).totalMs);
      const speed = spreadOf(walls.map((ms) => SECONDS / (ms / 1000)));
      rows.push(
        `| ${label}, whole download through the gateway: × real time (wall) | ${formatSpread(speed, 0)} |`,
      );
    }
  } finally {
    await gateway.stop();
    await youtube.stop();
    origin.stop(true);
    await stopAllServers();
  }

  const mode = quick ? "quick" : "full";
  return [
    `## Audio files (${SECONDS} s sources, ${os.cpus().length} cores, load ${load()}, ${mode} run)`,
    "",
    "| measure | median [min–max] |",
    "|---|---|",
    ...rows,
    "",
    `${fixed(REPS)} repetitions of each conversion; ${TTFB_N} first bytes.`,
  ].join("\n");
}

/** Milliseconds to an MP3's first byte; the rest is not read (the client leaves, ffmpeg ends). */
async function timeDownloadHead(url: string): Promise<number> {
  const controller = new AbortController();
  const started = performance.now();
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body?.getReader();
  const read = await reader?.read();
  const ms = performance.now() - started;
  if (response.status !== 200 || read?.done !== false) throw new Error(`MP3 answered ${response.status}`);
  controller.abort();
  return ms;
}

if (import.meta.main) console.log(await benchAudioConversion({ quick: process.argv.includes("--quick") }));
