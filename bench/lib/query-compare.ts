/**
 * GraphQL request rates of several servers compared under the same `hey` load, interleaved, and
 * the bare graphql-yoga hello world (bench/yoga-hello.ts) they are compared with.
 */
import { join } from "node:path";
import { REPO } from "./gateway.ts";
import { graphqlBody } from "./graphql-client.ts";
import { processCpuSeconds } from "./proc-stat.ts";
import { type ChildServer, startServer } from "./processes.ts";
import { heyPost, type Load, type LoadResult } from "./query-load.ts";

/** The query the bare yoga server answers. */
export const HELLO_QUERY = "{ hello }";

/** One server under load: where it listens and what is asked of it. */
export interface QueryTarget {
  readonly name: string;
  readonly what: string;
  readonly url: URL;
  readonly query: string;
  /** The server's process, to count its CPU time per request (main thread and every other). */
  readonly pid?: number;
}

/** One `hey` run against a server, and the server's CPU time per request meanwhile (when known). */
export interface QueryRun extends LoadResult {
  readonly cpuUsPerRequest: number | undefined;
}

/** One server's request rates under hey, one entry per repetition. */
export interface QueryServer {
  readonly name: string;
  readonly what: string;
  /** Size of one answer's body. */
  readonly answerBytes: number;
  readonly runs: readonly QueryRun[];
}

/** How much load: a warm-up per server, then `reps` interleaved runs of `load` each. */
export interface QueryPlan {
  readonly warmup: Load;
  readonly load: Load;
  readonly reps: number;
}

/** Reads `{"message":"listening","url":…}` from a helper server (yoga hello world, the listener peer). */
export const loggedUrl = (line: string): URL | undefined =>
  line.includes('"listening"') ? new URL((JSON.parse(line) as { url: string }).url) : undefined;

/**
 * Starts bench/yoga-hello.ts as its own production-mode process (`flags`: `--bun-serve` for
 * Bun.serve instead of node:http), its output in `<workDir>/<name>.log`.
 */
export function startHello(
  name: string,
  flags: readonly string[],
  workDir: string,
  env: Record<string, string | undefined>,
): Promise<ChildServer> {
  return startServer({
    name,
    cmd: [process.execPath, "bench/yoga-hello.ts", ...flags],
    cwd: REPO,
    env: { ...env, NODE_ENV: "production", PORT: "0" },
    logPath: join(workDir, `${name}.log`),
    urlFrom: loggedUrl,
  });
}

/**
 * Warms each target up, then runs the load on each `plan.reps` times, interleaved, the order
 * rotated every repetition so no server always runs right after the same neighbour.
 * @throws Error when any answer is not a 200 (see {@link heyPost}) or a final check fails.
 */
export async function loadInterleaved(
  targets: readonly QueryTarget[],
  plan: QueryPlan,
): Promise<QueryServer[]> {
  for (const t of targets) await heyPost(new URL("/graphql", t.url), t.query, plan.warmup);
  const runs = new Map(targets.map((t) => [t.name, [] as QueryRun[]]));
  for (let rep = 0; rep < plan.reps; rep++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + rep) % targets.length];
      if (t === undefined) continue;
      const cpuBefore = t.pid === undefined ? undefined : processCpuSeconds(t.pid);
      const load = await heyPost(new URL("/graphql", t.url), t.query, plan.load);
      const cpuUs =
        t.pid === undefined || cpuBefore === undefined
          ? undefined
          : ((processCpuSeconds(t.pid) - cpuBefore) * 1e6) / load.requests;
      const result = { ...load, cpuUsPerRequest: cpuUs };
      const cpu = cpuUs === undefined ? "" : `, ${cpuUs.toFixed(0)} µs CPU/request`;
      console.log(`  rep ${rep + 1} ${t.name.padEnd(22)} ${load.requestsPerSecond.toFixed(0)} req/s${cpu}`);
      runs.get(t.name)?.push(result);
    }
  }
  return Promise.all(
    targets.map(async (t) => ({
      name: t.name,
      what: t.what,
      answerBytes: Buffer.byteLength(await graphqlBody(t.url, t.query)),
      runs: runs.get(t.name) ?? [],
    })),
  );
}
