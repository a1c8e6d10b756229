/** GraphQL request rates under `hey` (installed by `shared/peers/setup.sh`). */

/** One `hey` run, as it reports it. */
export interface LoadResult {
  readonly requests: number;
  readonly ok: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * How hard to push: `requests` in total over `concurrency` connections (hey gives each
 * connection `requests / concurrency` requests, rounded down).
 */
export interface Load {
  readonly requests: number;
  readonly concurrency: number;
}

function numberAfter(output: string, pattern: RegExp): number {
  const value = Number(pattern.exec(output)?.[1]);
  if (!Number.isFinite(value)) throw new Error(`hey's output lacks ${pattern}:\n${output}`);
  return value;
}

/** Reads hey's summary: Requests/sec, latency percentiles, status counts. */
export function parseHey(output: string, requests: number): LoadResult {
  return {
    requests,
    ok: Number(/\[200\]\s+(\d+) responses/.exec(output)?.[1] ?? 0),
    requestsPerSecond: numberAfter(output, /Requests\/sec:\s+([\d.]+)/),
    p50Ms: numberAfter(output, /50% in ([\d.]+) secs/) * 1000,
    p99Ms: numberAfter(output, /99% in ([\d.]+) secs/) * 1000,
  };
}

/**
 * POSTs `query` to `url` with hey, `load.requests` times over `load.concurrency` keep-alive
 * connections. Bounded: hey stops after that many requests, and is killed after `timeoutMs`.
 * @throws Error when hey fails or any answer is not a 200.
 */
export async function heyPost(url: URL, query: string, load: Load, timeoutMs = 120_000): Promise<LoadResult> {
  const cmd = ["hey", "-n", String(load.requests), "-c", String(load.concurrency), "-m", "POST"];
  cmd.push("-T", "application/json", "-d", JSON.stringify({ query }), url.href);
  const proc = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => proc.kill("SIGTERM"), timeoutMs);
  const [output, errors, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`hey exited with ${code}: ${errors}${output}`);
  const sent = Math.floor(load.requests / load.concurrency) * load.concurrency;
  const result = parseHey(output, sent);
  if (result.ok !== sent) {
    throw new Error(`only ${result.ok} of ${sent} answers were 200 from ${url}:\n${output}`);
  }
  return result;
}
