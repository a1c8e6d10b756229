/**
 * `npm run bench [-- <part> ...] [--quick] [--skip-setup]`: downtube's benchmarks, on 127.0.0.1 only.
 *
 * Parts (all of them, in this order, when none is named):
 * - `peers`  (bench/parts/peers.ts): the gateway, JS path and offload mode, among the reference
 *   peers of shared/peers on a loopback origin without pacing; cached `video` query against a
 *   bare graphql-yoga; cold extractions; token rates. About seven minutes.
 * - `origin` (bench/parts/paced-origin.ts): one download against an origin that behaves like a
 *   real one (10 ms first byte, 32 MiB/s per connection): curl direct, nginx-tuned, nginx slices,
 *   downtube with 1 range in flight, at its defaults, and offloading; then 16 at once. A few minutes.
 * - `loopback` (the same file): those runs against run.sh's kind of origin, answering at once with
 *   no pacing, where nothing may be slower than before (`--baseline DIR` adds that checkout).
 * - `memory` (bench/parts/memory.ts): the gateway's memory while streaming 1 GiB (`--bytes N`).
 * - `audio` (bench/parts/audio.ts): MP3 conversion speed per core and an MP3's first byte.
 *
 * `--baseline DIR` (peers, loopback): also the JS path of another checkout (with its dependencies), as
 * `gateway-before`, to see a change's cost in one run.
 *
 * Each part writes bench/results/<part>.md and a row in bench/results/history.md (`--quick`: a
 * smoke run under bench/.work/ only). Every process started is stopped by its PID, also on failure
 * and on Ctrl-C.
 */
import {
  type BenchContext,
  createBenchContext,
  type PartResult,
  VALUE_FLAGS,
  writePartResult,
} from "./lib/bench-context.ts";
import { stopNginxes } from "./lib/nginx.ts";
import { stopPeerScript } from "./lib/peers.ts";
import { stopAllServers } from "./lib/processes.ts";
import { audioPart } from "./parts/audio.ts";
import { memoryPart } from "./parts/memory.ts";
import { loopbackOriginPart, pacedOriginPart } from "./parts/paced-origin.ts";
import { peersPart } from "./parts/peers.ts";

const PARTS: Record<string, (context: BenchContext) => Promise<PartResult>> = {
  peers: peersPart,
  origin: pacedOriginPart,
  loopback: loopbackOriginPart,
  memory: memoryPart,
  audio: audioPart,
};

const named = process.argv
  .slice(2)
  .filter((arg, i, all) => !arg.startsWith("--") && !VALUE_FLAGS.includes(all[i - 1] ?? ""));
const unknown = named.filter((name) => !(name in PARTS));
if (unknown.length > 0) {
  console.error(`bench: unknown part ${unknown.join(", ")} (parts: ${Object.keys(PARTS).join(", ")})`);
  process.exit(2);
}
const context = createBenchContext(process.argv);
context.onStop(stopNginxes);
context.onStop(stopAllServers);
context.onStop(stopPeerScript);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping what it started`);
    void context.stopAll().finally(() => process.exit(130));
  });
}

try {
  for (const part of named.length > 0 ? named : Object.keys(PARTS)) {
    console.log(`\n==== bench part: ${part}`);
    const result = await PARTS[part]?.(context);
    if (result === undefined) continue;
    const path = await writePartResult(context, part, result);
    console.log(`\nbench: ${part} results in ${path} (logs in ${context.workDir})`);
    if (!result.ok) process.exitCode = 1;
  }
} catch (error) {
  console.error("bench failed:", error);
  process.exitCode = 1;
} finally {
  await context.stopAll();
}
