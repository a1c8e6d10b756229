/** One download with curl, as a user runs it: speed, first byte, and the bytes' sha256 when asked. */
import { createHash } from "node:crypto";

/** What one curl download measured. */
export interface CurlRun {
  readonly bytes: number;
  /** Bytes per second over the whole download. */
  readonly bytesPerSecond: number;
  /** Seconds from the start to the first byte of the body. */
  readonly ttfbSeconds: number;
}

/**
 * Downloads `url` to /dev/null (`range`: only those bytes, as `-r a-b`).
 * @throws Error when curl fails (an HTTP error included).
 */
export async function curlDownload(url: string, range?: string): Promise<CurlRun> {
  const args = [
    "curl",
    "-s",
    "-f",
    "-o",
    "/dev/null",
    "-w",
    "%{size_download} %{speed_download} %{time_starttransfer}",
  ];
  const proc = Bun.spawn([...args, ...(range === undefined ? [] : ["-r", range]), url], {
    stdout: "pipe",
    stderr: "ignore",
  });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  const [bytes, speed, ttfb] = out.trim().split(" ").map(Number);
  if (code !== 0 || bytes === undefined || speed === undefined || ttfb === undefined) {
    throw new Error(`curl ${url} exited with ${code}`);
  }
  return { bytes, bytesPerSecond: speed, ttfbSeconds: ttfb };
}

/** The sha256 (hex) of what curl downloads from `url` (`range`: only those bytes). */
export async function curlSha256(url: string, range?: string): Promise<string> {
  const proc = Bun.spawn(["curl", "-s", "-f", ...(range === undefined ? [] : ["-r", range]), url], {
    stdout: "pipe",
    stderr: "ignore",
  });
  const hash = createHash("sha256");
  const reader = proc.stdout.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) hash.update(read.value);
  if ((await proc.exited) !== 0) throw new Error(`curl ${url} failed`);
  return hash.digest("hex");
}
