/**
 * The composition root and the only module with top-level side effects: reads the environment
 * once, starts the gateway and stops it on SIGINT/SIGTERM. With `--nginx` (`npm run start:nginx`)
 * it also starts a managed nginx in front on HOST:PORT, the gateway then listening on a free
 * port of 127.0.0.1 with `DOWNTUBE_OFFLOAD=nginx`; both stop together.
 */
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { createJsonLogger } from "./core/logger.ts";
import { startGateway } from "./gateway.ts";
import { type ManagedNginx, startManagedNginx } from "./offload/managed-nginx.ts";
import { systemResolver } from "./offload/system-resolver.ts";

const log = createJsonLogger((line) => process.stdout.write(line), Date.now);
const withNginx = process.argv.includes("--nginx");

function configure() {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`downtube: ${error.message}\n`);
    process.exit(1);
  }
}

/** Behind the managed nginx: reachable only by it, offloading, trusting its X-Forwarded-For. */
const behindNginx = (config: Config): Config => ({
  ...config,
  host: "127.0.0.1",
  port: 0,
  offload: { ...config.offload, mode: "nginx" },
  clients: { ...config.clients, trustProxy: true },
});

const config = configure();
const gateway = await startGateway(withNginx ? behindNginx(config) : config, {
  fetch: (input, init) => fetch(input, init),
  clock: Date.now,
  log,
  randomId: () => crypto.randomUUID(),
});
let nginx: ManagedNginx | undefined;
if (withNginx) {
  try {
    nginx = await startManagedNginx({
      binary: config.offload.nginx,
      host: config.host,
      port: config.port,
      gateway: gateway.url.host,
      resolver: config.offload.resolver ?? systemResolver(),
      sliceBytes: config.youtube.chunkBytes,
      timeoutMs: config.youtube.timeoutMs,
      startTimeoutMs: 10_000,
      log,
    });
  } catch (error) {
    log.error("nginx did not start", { error: String(error) });
    await gateway.stop();
    process.exit(1);
  }
}
const front = nginx?.url ?? gateway.url;
log.info("downtube listening", {
  url: front.toString(),
  graphql: new URL("/graphql", front).toString(),
  youtubeOrigin: config.youtube.origin?.origin ?? "https://www.youtube.com",
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

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    stopping = true;
    log.info("stopping", { signal });
    void stopAll().then(() => {
      log.info("stopped");
      process.exit(0);
    });
  });
}
