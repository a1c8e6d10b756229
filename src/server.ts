/**
 * The composition root and the only module with top-level side effects: reads the environment
 * once, starts the gateway and stops it on SIGINT/SIGTERM.
 */
import { lookup } from "node:dns/promises";
import { ConfigError, loadConfig } from "./config.ts";
import { createJsonLogger } from "./core/logger.ts";
import { startGateway } from "./gateway.ts";

const log = createJsonLogger((line) => process.stdout.write(line), Date.now);

function configure() {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`downtube: ${error.message}\n`);
    process.exit(1);
  }
}

const config = configure();
const gateway = await startGateway(config, {
  fetch: (input, init) => fetch(input, init),
  resolve: async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address),
  clock: Date.now,
  log,
  randomId: () => crypto.randomUUID(),
});
log.info("downtube listening", {
  url: gateway.url.toString(),
  graphql: new URL("/graphql", gateway.url).toString(),
  youtubeOrigin: config.youtube.origin?.origin ?? "https://www.youtube.com",
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log.info("stopping", { signal });
    void gateway.stop().then(() => {
      log.info("stopped");
      process.exit(0);
    });
  });
}
