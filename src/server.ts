/**
 * The composition root and the only module with top-level side effects: reads the environment
 * once, starts the gateway and stops it on SIGINT, SIGTERM or SIGHUP. A start-up failure is one
 * line on stderr naming its cause, and exit code 1. With `--nginx` (`npm run start:nginx`) it also
 * starts a managed nginx in front on HOST:PORT, the gateway then listening on a free port of
 * 127.0.0.1 with `DOWNTUBE_OFFLOAD=nginx`; both stop together.
 */
// First, before anything can load ytdl-core (see the file). The gateway is imported below.
import "./sources/youtube/undici-shim.ts";
import { lookup } from "node:dns/promises";
import { type Config, ConfigError, loadConfig } from "./config/config.ts";
import { createJsonLogger } from "./core/logger.ts";
import { createStopSignals } from "./http/lifecycle.ts";
import { ListenError } from "./http/listen.ts";
import { createLineBatch } from "./observability/line-batch.ts";
import { type ManagedNginx, startManagedNginx } from "./offload/managed-nginx.ts";
import { systemResolver } from "./offload/system-resolver.ts";

const lines = createLineBatch({
  write: (text) => process.stdout.write(text),
  schedule: (flush) => setImmediate(flush),
  maxChars: 64 * 1024,
});
// Every exit path (a signal, a refusal to start, a crash) writes what is still gathered.
process.on("exit", () => lines.flush());
// Info lines (access logs, mostly) wait for the end of the turn; a warning or an error goes out
// at once, with what was gathered before it, ahead of whatever the gateway does next.
const log = createJsonLogger((line, level) => {
  lines.add(line);
  if (level !== "info") lines.flush();
}, Date.now);
const withNginx = process.argv.includes("--nginx");
/**
 * Signals this soon after the first are the same stop request passed on by a parent (npm, the
 * demo) or sent to the whole process group, not a person asking a second time.
 */
const SIGNAL_ECHO_MS = 1000;

/** Ends the process before it served anything: one line, exit code 1. */
function refuseToStart(error: unknown): never {
  const known = error instanceof ConfigError || error instanceof ListenError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`downtube: ${known ? message : `could not start: ${message}`}\n`);
  process.exit(1);
}

/** Behind the managed nginx: reachable only by it, offloading, trusting its X-Forwarded-For. */
const behindNginx = (config: Config): Config => ({
  ...config,
  host: "127.0.0.1",
  port: 0,
  offload: { ...config.offload, mode: "nginx" },
  clients: { ...config.clients, trustProxy: true },
});

try {
  const config = loadConfig(process.env);
  // Loaded only now, after the shim: a static import would load ytdl-core before it.
  const { startGateway } = await import("./gateway.ts");
  const gateway = await startGateway(withNginx ? behindNginx(config) : config, {
    fetch: (input, init) => fetch(input, init),
    resolve: async (hostname) =>
      (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address),
    clock: Date.now,
    log,
    randomId: () => crypto.randomUUID(),
  });
  let nginx: ManagedNginx | undefined;
  if (withNginx) {
    nginx = await startManagedNginx({
      binary: config.offload.nginx,
      host: config.host,
      port: config.port,
      gateway: gateway.url.host,
      resolver: config.offload.resolver ?? systemResolver(),
      sliceBytes: config.youtube.chunkBytes,
      timeoutMs: config.youtube.timeoutMs,
      streams: { total: config.clients.maxStreams, perClient: config.clients.maxStreamsPerClient },
      startTimeoutMs: 10_000,
      log,
    }).catch(async (error: unknown) => {
      await gateway.stop();
      throw new Error(`nginx did not start: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  const front = nginx?.url ?? gateway.url;
  log.info("downtube listening", {
    url: front.toString(),
    graphql: new URL("/graphql", front).toString(),
    youtubeOrigin: config.youtube.origin?.origin ?? "https://www.youtube.com",
    pid: process.pid,
    ...(nginx === undefined
      ? {}
      : { offload: "nginx", gateway: gateway.url.toString(), nginxPid: nginx.pid, nginxDir: nginx.dir }),
  });

  let stopping = false;
  const stopAll = () => Promise.all([gateway.stop(), nginx?.stop(config.shutdownGraceMs)]);
  void nginx?.exited.then((code) => {
    if (stopping) return;
    log.error("nginx exited on its own; stopping the gateway", { code });
    void gateway.stop().then(() => process.exit(1));
  });

  // SIGHUP: the terminal that started it closed. The first signal drains, and so do its echoes
  // (Ctrl-C reaches npm and the gateway both, and npm passes it on); a later one ends it at once.
  const stopRequest = createStopSignals(Date.now, SIGNAL_ECHO_MS);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      const request = stopRequest();
      if (request === "echo") {
        log.info("already draining: the same stop request again", { signal });
        return;
      }
      if (request === "now") {
        log.warn("stopped at once by a second signal", { signal });
        process.exit(1);
      }
      stopping = true;
      log.info("stopping", { signal });
      void stopAll().then(() => {
        log.info("stopped");
        process.exit(0);
      });
    });
  }
} catch (error) {
  refuseToStart(error);
}
