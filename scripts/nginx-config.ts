/**
 * `npm run nginx:config [-- LISTEN]`: prints the upstream and server blocks to paste into the
 * `http {}` of an nginx you already run, generated from the same environment the gateway reads
 * (its HOST:PORT become the upstream; run the gateway with DOWNTUBE_OFFLOAD=nginx and
 * DOWNTUBE_TRUST_PROXY=true, reachable only by nginx). LISTEN defaults to 80. The blocks import
 * this checkout's slice guard (src/offload/slice-guard.js), so nginx needs its js module loaded
 * (Debian's libnginx-mod-http-js enables it) and read access to that file.
 */
import { ConfigError, loadConfig } from "../src/config/config.ts";
import { nginxSite, SLICE_GUARD } from "../src/offload/nginx-config.ts";
import { systemResolver } from "../src/offload/system-resolver.ts";

try {
  const config = loadConfig(process.env);
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  process.stdout.write(
    nginxSite({
      listen: process.argv[2] ?? "80",
      gateway: `${host.includes(":") ? `[${host}]` : host}:${config.port}`,
      resolver: config.offload.resolver ?? systemResolver(),
      sliceBytes: config.offload.sliceBytes,
      timeoutMs: config.youtube.timeoutMs,
      sliceGuard: SLICE_GUARD,
      streams: { total: config.clients.maxStreams, perClient: config.clients.maxStreamsPerClient },
    }),
  );
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`downtube: ${error.message}\n`);
  process.exit(1);
}
