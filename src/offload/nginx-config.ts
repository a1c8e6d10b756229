import { fileURLToPath } from "node:url";
import type { DownloadAttempt } from "../core/download-attempt.ts";
import { ATTEMPT_LOCATIONS, INTERNAL_PREFIX, REFRESH_PREFIX } from "./internal-uri.ts";

/** What the nginx in front of the gateway needs to know (from the gateway's settings). */
export interface NginxSiteOptions {
  /** Where nginx listens for clients: `host:port`. */
  readonly listen: string;
  /** Where the gateway listens: `host:port`, reachable only by nginx. */
  readonly gateway: string;
  /** DNS servers for origin host names (googlevideo's), space-separated. */
  readonly resolver: string;
  /** Size of each ranged request to the origin, in bytes (`DOWNTUBE_UPSTREAM_CHUNK_BYTES`). */
  readonly sliceBytes: number;
  /** How long the origin may take to connect, answer, or stay silent, in ms. */
  readonly timeoutMs: number;
  /** The slice guard nginx imports (`slice-guard.js`, see {@link SLICE_GUARD}). */
  readonly sliceGuard: string;
  /**
   * Most downloads nginx carries at once, in all and per client (`DOWNTUBE_MAX_STREAMS`,
   * `DOWNTUBE_MAX_STREAMS_PER_CLIENT`): the gateway's own stream slots end at its redirect.
   */
  readonly streams: { readonly total: number; readonly perClient: number };
}

/** Where the whole managed nginx keeps its files, and how many workers it runs. */
export interface NginxMainOptions extends NginxSiteOptions {
  /** A private directory: pid file and temp paths. */
  readonly dir: string;
  /** nginx's js module, which runs the slice guard (`ngx_http_js_module.so`). */
  readonly jsModule: string;
}

/** Where the slice guard is: nginx reads it when it loads its configuration. */
export const SLICE_GUARD = fileURLToPath(new URL("./slice-guard.js", import.meta.url));

const jsonBody = (code: string, message: string) => `'{"error":{"code":"${code}","message":"${message}"}}'`;

// Headers the origin sends that are not the origin's to give: the gateway's Content-Type comes
// with its X-Accel-Redirect answer, its ETag and Content-Disposition in the internal URI.
const ORIGIN_HEADERS_HIDDEN = [
  "Content-Type",
  "Content-Disposition",
  "Cache-Control",
  "Expires",
  "Accept-Ranges",
  "ETag",
  "Last-Modified",
  "Set-Cookie",
  "Vary",
  "Alt-Svc",
  "X-Content-Type-Options",
  "Access-Control-Allow-Origin",
  "Timing-Allow-Origin",
  "Cross-Origin-Resource-Policy",
];

const UPSTREAM_ERROR = jsonBody("UPSTREAM_ERROR", "the origin failed to deliver the media");
// The gateway's slots name which limit was met; nginx does not say which of its two zones refused.
const TOO_MANY_STREAMS = jsonBody("TOO_MANY_STREAMS", "too many downloads at once; try again shortly");
const NOT_FOUND = jsonBody("NOT_FOUND", "no such route");

/** A named location answering a JSON error of the gateway's shape (`answer`: its directives). */
const jsonLocation = (name: string, answer: string) => `    location ${name} {
      default_type application/json;
      add_header Cache-Control no-store always;
      ${answer}
    }`;

/** The proxy settings of every request nginx passes to the gateway. */
const toGateway = `
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_read_timeout 1h;`;

/**
 * One internal location that fetches an origin's bytes in ranged slices. `first`: a refused
 * media URL (403/410) goes back to the gateway for a fresh one; `retry`: it is the end.
 */
function fetchLocation(attempt: DownloadAttempt, o: NginxSiteOptions): string {
  const refused = attempt === "download" ? "@downtube_refresh" : "@downtube_upstream_error";
  return `
    location ~ ^${INTERNAL_PREFIX}${ATTEMPT_LOCATIONS[attempt]}/([A-Za-z0-9_-]+)/(https?)/([^/]+)/(([^/:]+)(?::[0-9]+)?)/([A-Za-z0-9._-]+)/([^/]*)(/.*)$ {
      internal;
      set $dt_client $1;
      set $dt_scheme $2;
      set $dt_address $3;
      set $dt_host $4;
      set $dt_server_name $5;
      set $dt_etag $6;
      set $dt_disposition $7;
      set $dt_path $8;
      # The gateway's stream limits, for the downloads nginx carries: counted once per download
      # (not per slice, nor again after a refresh) and given back when it ends, however it ends.
      set $dt_all downtube;
      limit_conn downtube_streams ${o.streams.total};
      limit_conn downtube_client_streams ${o.streams.perClient};
      limit_conn_status 429;
      limit_conn_log_level info;
      slice ${o.sliceBytes};
      proxy_pass $dt_scheme://$dt_address$dt_path$is_args$args;
      proxy_method GET;
      proxy_http_version 1.1;
      # Nothing of the client's request reaches the origin: only what the gateway resolved.
      proxy_pass_request_headers off;
      proxy_pass_request_body off;
      proxy_set_header Host $dt_host;
      proxy_set_header Range $slice_range;
      proxy_set_header Connection "";
      proxy_ssl_server_name on;
      proxy_ssl_name $dt_server_name;
      proxy_ssl_verify on;
      proxy_ssl_verify_depth 4;
      proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;
      proxy_connect_timeout ${o.timeoutMs}ms;
      proxy_send_timeout ${o.timeoutMs}ms;
      proxy_read_timeout ${o.timeoutMs}ms;
      proxy_buffering off;
      # A slice that breaks off mid-body does not end the response in nginx 1.22: it goes on with
      # the next slices. The guard ends the response before the next slice's first byte, so the
      # client keeps a true prefix of the file; after a last slice that broke off nothing follows,
      # and closing the connection after each download lets the client see the shortfall against
      # Content-Length rather than wait for bytes that never come.
      js_header_filter downtube_slices.header;
      keepalive_timeout 0;
      proxy_buffer_size 256k;
      proxy_buffers 8 256k;
      proxy_max_temp_file_size 0;
      proxy_redirect off;
${ORIGIN_HEADERS_HIDDEN.map((h) => `      proxy_hide_header ${h};`).join("\n")}
      # Only on the file's own answers (200, 206): error pages get none of these.
      add_header ETag "\\"$dt_etag\\"";
      add_header Content-Disposition $dt_disposition;
      add_header Cache-Control "private, no-transform";
      add_header X-Content-Type-Options nosniff;
      proxy_intercept_errors on;
      error_page 403 410 = ${refused};
      # A request from outside gets the 404 of "internal" before any variable is set.
      error_page 404 = @downtube_origin_404;
      error_page 429 = @downtube_429;
      error_page 300 301 302 303 307 308 400 401 405 406 408 409 411 412 413 414 415 416 500 501 502 503 = @downtube_upstream_error;
      error_page 504 = @downtube_upstream_timeout;
    }`;
}

/**
 * The upstream and server blocks (inside `http {}`) that put nginx in front of the gateway with
 * `DOWNTUBE_OFFLOAD=nginx`: every request goes to the gateway; a file download it answers with
 * `X-Accel-Redirect` is fetched by nginx from the origin in ranged slices, with exact
 * Content-Length, Range/206 and the gateway's headers. The internal locations answer 404 to any
 * request from outside. Also what an operator pastes into an nginx they already run.
 */
export function nginxSite(o: NginxSiteOptions): string {
  return `  # The slice guard (an njs module; nginx's js module must be loaded): see slice-guard.js.
  js_import downtube_slices from ${JSON.stringify(o.sliceGuard)};
  js_var $downtube_slices;
  js_var $downtube_slice_gap;

  # Downloads nginx carries at once: in all, and per client (the gateway names the client).
  limit_conn_zone $dt_all zone=downtube_streams:1m;
  limit_conn_zone $dt_client zone=downtube_client_streams:10m;

  upstream downtube_gateway {
    server ${o.gateway};
    keepalive 32;
  }

  server {
    listen ${o.listen};
    server_tokens off;
    client_max_body_size 0; # the gateway enforces its own limit
    recursive_error_pages on;
    resolver ${o.resolver} valid=60s;
    resolver_timeout ${Math.ceil(o.timeoutMs / 1000)}s;

    location / {
      proxy_pass http://downtube_gateway;${toGateway}
    }

    location ^~ ${INTERNAL_PREFIX} {
      internal;
      error_page 404 = @downtube_not_found;
${fetchLocation("download", o)}
${fetchLocation("refresh", o)}
    }

    # The origin refused the media URL: the gateway extracts once more and redirects again.
    location @downtube_refresh {
      rewrite ^ ${REFRESH_PREFIX}$request_uri break;
      proxy_pass http://downtube_gateway;${toGateway}
    }

${jsonLocation("@downtube_upstream_error", `return 502 ${UPSTREAM_ERROR};`)}
${jsonLocation(
  "@downtube_429",
  `if ($limit_conn_status = REJECTED) {
        add_header Cache-Control no-store always;
        add_header Retry-After 5 always;
        return 503 ${TOO_MANY_STREAMS};
      }
      return 502 ${UPSTREAM_ERROR};`,
)}
${jsonLocation("@downtube_origin_404", `if ($dt_scheme = "") {\n        return 404 ${NOT_FOUND};\n      }\n      return 502 ${UPSTREAM_ERROR};`)}
${jsonLocation("@downtube_upstream_timeout", `return 504 ${jsonBody("UPSTREAM_TIMEOUT", "the origin did not answer in time")};`)}
${jsonLocation("@downtube_not_found", `return 404 ${NOT_FOUND};`)}
  }
`;
}

/** A whole nginx.conf for the nginx `npm run start:nginx` manages, in the foreground. */
export function nginxMainConfig(o: NginxMainOptions): string {
  return `# Generated by downtube (npm run start:nginx) from the gateway's settings; rewritten at every start.
load_module ${JSON.stringify(o.jsModule)};
daemon off;
master_process on;
worker_processes auto;
pid ${o.dir}/nginx.pid;
error_log stderr warn;

events {
  worker_connections 4096;
}

http {
  access_log off;
  client_body_temp_path ${o.dir}/client_body;
  proxy_temp_path ${o.dir}/proxy;
  fastcgi_temp_path ${o.dir}/fastcgi;
  uwsgi_temp_path ${o.dir}/uwsgi;
  scgi_temp_path ${o.dir}/scgi;

${nginxSite(o)}}
`;
}
