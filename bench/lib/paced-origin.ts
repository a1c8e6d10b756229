/**
 * An origin that behaves like a real one, and the nginx peers in front of it, for
 * `npm run bench -- origin`: nginx answering every request after a set delay (njs `js_content`
 * with a timer before an internal redirect) and pacing every connection (`limit_rate`), with an
 * access log that names each request's connection, so a download's origin connections can be
 * counted.
 */
import { copyFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../src/http/free-port.ts";
import { startNginx } from "./nginx.ts";

/** Where Debian's libnginx-mod-http-js puts the module (scripts/setup-nginx.sh installs it). */
const JS_MODULE = "/usr/lib/nginx/modules/ngx_http_js_module.so";

/** How the origin behaves; without either, it is run.sh's loopback origin (answers at once, no pacing). */
export interface Pacing {
  /** Wait before each answer's headers, in milliseconds (a real origin's round trip and lookup). */
  readonly firstByteMs?: number;
  /** Bytes per second per connection, as nginx's `limit_rate` takes it (`32m`). */
  readonly rate?: string;
}

/** The paced origin, running. */
export interface PacedOrigin {
  readonly pid: number;
  /** `127.0.0.1:<port>` */
  readonly host: string;
  /** Where its access log has got to (a mark for {@link PacedOrigin.requestsSince}). */
  mark(): number;
  /** Requests logged since `mark` and how many distinct connections carried them. */
  requestsSince(mark: number): { readonly requests: number; readonly connections: number };
}

/**
 * Starts the paced origin serving `dataDir` (one worker, as run.sh's origin) on a free port.
 * @throws Error when nginx does not start (its js module missing, for one).
 */
export async function startPacedOrigin(
  workDir: string,
  dataDir: string,
  pacing: Pacing,
): Promise<PacedOrigin> {
  const port = await freePort();
  const script = join(workDir, `origin-${port}.js`);
  const log = join(workDir, `origin-${port}.access.log`);
  writeFileSync(
    script,
    `function delayed(r) {\n  setTimeout(function () { r.internalRedirect("/_files" + r.uri); }, ${pacing.firstByteMs ?? 0});\n}\nexport default { delayed };\n`,
  );
  writeFileSync(log, "");
  const delayed = pacing.firstByteMs !== undefined && pacing.firstByteMs > 0;
  const limit = pacing.rate === undefined ? "" : ` limit_rate ${pacing.rate};`;
  const entry = delayed
    ? `location / { js_content origin.delayed; }
    location /_files/ { internal; alias ${dataDir}/; sendfile off; output_buffers 2 1m;${limit} }`
    : `location / { root ${dataDir}; sendfile off; output_buffers 2 1m;${limit} }`;
  const http = `  ${delayed ? `js_import origin from ${script};` : ""}
  log_format conns '$connection $status $http_range';
  types { video/mp4 mp4; }
  default_type application/octet-stream;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:@PORT@;
    access_log ${log} conns;
    ${entry}
  }`;
  const main = delayed ? `load_module ${JS_MODULE};\n` : "";
  const pid = await startNginx(workDir, `origin-${port}`, port, 1, http, {}, main);
  const size = () => (existsSync(log) ? statSync(log).size : 0);
  return {
    pid,
    host: `127.0.0.1:${port}`,
    mark: size,
    requestsSince(mark) {
      const lines = readFileSync(log).subarray(mark).toString("utf8").split("\n").filter(Boolean);
      // startNginx's own readiness probe and any other path answer 404: only media counts.
      const media = lines.filter((line) => /^\d+ 20[06] /.test(line));
      return { requests: media.length, connections: new Set(media.map((l) => l.split(" ")[0])).size };
    },
  };
}

/** nginx-tuned in front of `origin` (`host:port`), as shared/peers configures it; its PID and URL prefix. */
export async function startTunedProxy(
  workDir: string,
  origin: string,
): Promise<{ pid: number; urlPrefix: string }> {
  const port = await freePort();
  const http = `  upstream paced_origin { server ${origin}; keepalive 32; }
  server {
    listen 127.0.0.1:@PORT@;
    location /download/ {
      proxy_pass http://paced_origin/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_buffer_size 256k;
      proxy_buffers 8 256k;
      proxy_max_temp_file_size 0;
    }
  }`;
  const pid = await startNginx(workDir, `nginx-tuned-${port}`, port, 2, http);
  return { pid, urlPrefix: `http://127.0.0.1:${port}/download/` };
}

/**
 * A file of `bytes` for the paced runs, cut from the start of `source` into `dir` (kept between
 * runs: made again only when its size differs).
 */
export function pacedFile(source: string, dir: string, bytes: number): string {
  const path = join(dir, "paced.mp4");
  if (!existsSync(path) || statSync(path).size !== bytes) {
    copyFileSync(source, path);
    truncateSync(path, bytes);
  }
  return path;
}
