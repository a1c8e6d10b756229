/**
 * Child servers of the benchmark: started as their own processes (so their RSS and CPU are their
 * own), ready once they log a line naming their URL, stopped by their PID and only theirs.
 */
import { createWriteStream } from "node:fs";

/** A server process started by {@link startServer}. */
export interface ChildServer {
  readonly name: string;
  readonly pid: number;
  /** Where it listens, as it logged it. */
  readonly url: URL;
  /** SIGTERM, then SIGKILL after `graceMs` if it is still running. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** What {@link startServer} needs. */
export interface ServerSpec {
  readonly name: string;
  readonly cmd: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  /** Everything the process writes (stdout and stderr) goes here. */
  readonly logPath: string;
  /** Reads the listening URL out of one stdout line, or undefined for any other line. */
  readonly urlFrom: (line: string) => URL | undefined;
  /** How long it may take to log its URL. @default 20000 */
  readonly readyTimeoutMs?: number;
}

/** Calls `onChunk` with every chunk of `stream` until it ends (Bun's typings lack async iteration). */
export async function eachChunk(
  stream: ReadableStream<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
): Promise<void> {
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) onChunk(read.value);
}

/** The stop functions of the servers still running. */
const running = new Set<() => Promise<void>>();

/**
 * Starts a server and resolves once it has logged its URL. Its output keeps being drained into
 * `logPath` (a full pipe would block the server mid-benchmark).
 * @throws Error when it exits or stays silent past the timeout (its log tail is in the message).
 */
export async function startServer(spec: ServerSpec): Promise<ChildServer> {
  const log = createWriteStream(spec.logPath);
  const proc = Bun.spawn([...spec.cmd], { cwd: spec.cwd, env: spec.env, stdout: "pipe", stderr: "pipe" });
  let tail = "";
  let resolveUrl: (url: URL) => void = () => undefined;
  const ready = new Promise<URL>((resolve) => {
    resolveUrl = resolve;
  });

  const drain = async (stream: ReadableStream<Uint8Array>, scan: boolean) => {
    const decoder = new TextDecoder();
    let pending = "";
    await eachChunk(stream, (chunk) => {
      log.write(chunk);
      const text = decoder.decode(chunk, { stream: true });
      tail = (tail + text).slice(-4000);
      if (!scan) return;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const url = spec.urlFrom(line);
        if (url !== undefined) resolveUrl(url);
      }
      if (pending.length > 65536) pending = "";
    });
  };
  const drained = Promise.all([drain(proc.stdout, true), drain(proc.stderr, false)]).finally(() => log.end());

  let stopped: Promise<void> | undefined;
  const stop = (graceMs = 5000): Promise<void> => {
    stopped ??= (async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await proc.exited;
      clearTimeout(timer);
      await drained;
      running.delete(stop);
    })();
    return stopped;
  };
  running.add(stop);

  const timeoutMs = spec.readyTimeoutMs ?? 20_000;
  let timer: Timer | undefined;
  const outcome = await Promise.race([
    ready,
    proc.exited.then((code) => new Error(`${spec.name} exited with ${code} before it was ready`)),
    new Promise<Error>((resolve) => {
      timer = setTimeout(
        () => resolve(new Error(`${spec.name} was not ready within ${timeoutMs} ms`)),
        timeoutMs,
      );
    }),
  ]);
  clearTimeout(timer);
  if (outcome instanceof Error) {
    await stop();
    throw new Error(`${outcome.message}; its output ends with:\n${tail}`);
  }
  return { name: spec.name, pid: proc.pid, url: outcome, stop };
}

/** Stops every server started by {@link startServer} that is still running. */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((stop) => stop()));
}
