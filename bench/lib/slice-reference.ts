/**
 * A reference peer of `npm run bench`: the offload mode's nginx with nothing of the gateway.
 *
 * nginx alone fetching run.sh's origin as the offload mode's internal location does (slice
 * module, `DOWNTUBE_UPSTREAM_CHUNK_BYTES` slices, a variable `proxy_pass` target so a new origin
 * connection per slice, unbuffered with 256k buffers, `keepalive_timeout 0`), minus the gateway's
 * redirect before it and the slice guard (an njs header filter, one call per slice). The offload
 * mode's figures against this peer's show what the gateway adds; this peer's against nginx-tuned
 * show what reading the origin in slices costs on this machine.
 */
import { freePort } from "../../src/http/free-port.ts";
import { startNginx } from "./nginx.ts";

/** Its name among run.sh's peers. */
export const SLICES_PEER = "nginx-slices";

const http = `  server {
    listen 127.0.0.1:@PORT@;
    location ~ ^/download/([^/]+)$ {
      set $file $1;
      slice @SLICE@;
      proxy_pass http://@ORIGIN@/$file;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Range $slice_range;
      proxy_buffering off;
      proxy_buffer_size 256k;
      proxy_buffers 8 256k;
      proxy_max_temp_file_size 0;
      keepalive_timeout 0;
      add_header Content-Disposition 'attachment; filename="$file"';
    }
  }`;

/**
 * Starts the reference nginx (two workers, as the managed nginx has on this machine) in front of
 * `origin` (`host:port`); resolves to its PID and the URL prefix of its files.
 */
export async function startSliceReference(
  workDir: string,
  origin: string,
  sliceBytes: number,
): Promise<{ pid: number; urlPrefix: string }> {
  const port = await freePort();
  const pid = await startNginx(workDir, SLICES_PEER, port, 2, http, {
    ORIGIN: origin,
    SLICE: String(sliceBytes),
  });
  return { pid, urlPrefix: `http://127.0.0.1:${port}/download/` };
}
