import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../src/http/free-port.ts";

/** A real nginx on 127.0.0.1 in front of a gateway, as a trusted reverse proxy is deployed. */
export interface NginxProxy {
  /** Where clients reach the gateway through nginx. */
  readonly url: URL;
  stop(): Promise<void>;
}

/**
 * Starts nginx (installed by scripts/setup-test-deps.sh) proxying everything to `upstream`, and
 * appending the address it received each request from to `X-Forwarded-For`, as proxies do.
 */
export async function startNginxProxy(upstream: URL): Promise<NginxProxy> {
  const dir = await mkdtemp(join(tmpdir(), "downtube-nginx-"));
  const port = await freePort();
  const config = `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr notice;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass ${upstream.origin};
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
  await writeFile(join(dir, "nginx.conf"), config);
  // Debian puts nginx in /usr/sbin, which a non-root PATH often lacks.
  const nginx = Bun.which("nginx") ?? "/usr/sbin/nginx";
  const proc = Bun.spawn([nginx, "-p", dir, "-c", join(dir, "nginx.conf"), "-e", "stderr"], {
    stdout: "ignore",
    stderr: "pipe",
  });
  const reader = proc.stderr.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes("start worker process")) {
    const read = await reader.read();
    if (read.done) throw new Error(`nginx ended before it was ready:\n${seen}`);
    seen += decoder.decode(read.value, { stream: true });
  }
  reader.releaseLock();
  void proc.stderr.pipeTo(new WritableStream()); // keep draining its log
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    async stop() {
      proc.kill("SIGQUIT");
      await proc.exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
