/**
 * Helpers for the merged-download tests: what a real client (curl, ffprobe) makes of a merge,
 * which ffmpeg processes this test process has, and the merge metrics.
 */
import { readdirSync, readFileSync } from "node:fs";
import { prepareDownload } from "./downloads.ts";
import type { Stack } from "./stack.ts";

/** Runs a command to its end (argument array, no shell) and collects its output. */
export async function runCommand(cmd: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const proc = Bun.spawn(cmd, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

/** What ffprobe reports of a media file: its streams and its duration in seconds. */
export interface Probe {
  streams: { codec_type: string; codec_name: string }[];
  duration: number;
}

export async function ffprobe(path: string): Promise<Probe> {
  const { stdout, stderr, code } = await runCommand([
    ...["ffprobe", "-v", "error", "-of", "json"],
    ...["-show_entries", "stream=codec_type,codec_name:format=duration", path],
  ]);
  if (code !== 0) throw new Error(`ffprobe ${path} failed: ${stderr}`);
  const parsed = JSON.parse(stdout) as { streams: Probe["streams"]; format: { duration: string } };
  return { streams: parsed.streams, duration: Number(parsed.format.duration) };
}

/** What `ffmpeg -v error -i path -f null -` prints while decoding the whole file: nothing when it is sound. */
export async function decodeErrors(path: string): Promise<string> {
  const { stderr, code } = await runCommand([
    "ffmpeg",
    "-nostdin",
    "-v",
    "error",
    "-i",
    path,
    "-f",
    "null",
    "-",
  ]);
  return `${stderr}${code === 0 ? "" : `(exit ${code})`}`;
}

/**
 * The ffmpeg processes whose parent is `parent` (by default this process, where the test's
 * gateway runs), zombies included: a merge that ended left none behind.
 */
export function ffmpegChildren(parent = process.pid): { pid: number; state: string }[] {
  const found: { pid: number; state: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "latin1");
    } catch {
      continue; // the process ended while the list was read
    }
    // pid (comm) state ppid …: comm may hold spaces, so parse from its closing parenthesis.
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const [state = "", ppid = ""] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (comm === "ffmpeg" && Number(ppid) === parent) found.push({ pid: Number(entry), state });
  }
  return found;
}

/** Polls `check` until it holds; rejects after `ms` with `what`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(20);
  }
}

/** A merged download that has started streaming and is being held open by its client. */
export interface HeldMerge {
  readonly response: Response;
  /** The first bytes the client received. */
  readonly first: Uint8Array;
  readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  /** The client goes away. */
  leave(): void;
}

/** Prepares a merged mp4 of `videoId`, GETs it and reads its first bytes, then holds it open. */
export async function holdMerge(stack: Pick<Stack, "client">, videoId: string): Promise<HeldMerge> {
  const ticket = await prepareDownload(stack, { url: videoId, format: { kind: "MERGED" } });
  const controller = new AbortController();
  const response = await fetch(ticket.url, { signal: controller.signal });
  if (response.status !== 200 || response.body === null)
    throw new Error(`the merge answered ${response.status}: ${await response.text()}`);
  const reader = response.body.getReader();
  const read = await reader.read();
  if (read.done) throw new Error("the merge ended before its first bytes");
  return { response, first: read.value, reader, leave: () => controller.abort() };
}
