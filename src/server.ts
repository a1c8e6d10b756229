/**
 * The composition root and the only module with top-level side effects: reads the environment
 * once, starts the gateway and stops it on SIGINT, SIGTERM or SIGHUP. A start-up failure is one
 * line on stderr naming its cause, and exit code 1.
 */
// First, before anything can load ytdl-core (see the file). The gateway is imported below.
import "./sources/youtube/undici-shim.ts";
import { lookup } from "node:dns/promises";
import { ConfigError, loadConfig } from "./config.ts";
import { createJsonLogger } from "./core/logger.ts";
import { ListenError } from "./http/listen.ts";

const log = createJsonLogger((line) => process.stdout.write(line), Date.now);

/** Ends the process before it served anything: one line, exit code 1. */
function refuseToStart(error: unknown): never {
  const known = error instanceof ConfigError || error instanceof ListenError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`downtube: ${known ? message : `could not start: ${message}`}\n`);
  process.exit(1);
}

try {
  const config = loadConfig(process.env);
  // Loaded only now, after the shim: a static import would load ytdl-core before it.
  const { startGateway } = await import("./gateway.ts");
  const gateway = await startGateway(config, {
    fetch: (input, init) => fetch(input, init),
    resolve: async (hostname) =>
      (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address),
    clock: Date.now,
    log,
    randomId: () => crypto.randomUUID(),
  });
  log.info("downtube listening", {
    url: gateway.url.toString(),
    graphql: new URL("/graphql", gateway.url).toString(),
    youtubeOrigin: config.youtube.origin?.origin ?? "https://www.youtube.com",
    pid: process.pid,
  });

  // SIGHUP: the terminal that started it closed. The first signal drains; a second ends it at once.
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn("stopped at once by a second signal", { signal });
        process.exit(1);
      }
      stopping = true;
      log.info("stopping", { signal });
      void gateway.stop().then(() => {
        log.info("stopped");
        process.exit(0);
      });
    });
  }
} catch (error) {
  refuseToStart(error);
}
