/**
 * nginx processes of the benchmark's own on 127.0.0.1 (origins and reference peers), each in the
 * foreground under the work directory, stopped by their PID.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** An nginx.conf around an `http {}` body, as run.sh writes its own (foreground, its own temp paths). */
function nginxConf(dir: string, workers: number, http: string, main = ""): string {
  const temps = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((t) => `  ${t}_temp_path ${dir}/tmp_${t};`)
    .join("\n");
  return `${main}daemon off;\nmaster_process on;\nworker_processes ${workers};\npid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;\nevents { worker_connections 4096; }
http {\n${temps}\n  access_log off;\n${http}\n}\n`;
}

/** run.sh's origin: one worker, native Range, `sendfile off; output_buffers 2 1m`, serving `dataDir` on `port`. */
export function originHttp(port: number, dataDir: string): string {
  return `  keepalive_requests 100000;
  types { video/mp4 mp4; }
  default_type application/octet-stream;
  server { listen 127.0.0.1:${port}; root ${dataDir}; sendfile off; output_buffers 2 1m; }`;
}

/** nginx processes of the probe, stopped by their PID. */
const nginxes: { kill(signal: "SIGQUIT" | "SIGKILL"): void; exited: Promise<number> }[] = [];

/**
 * Starts an nginx in the foreground under `workDir/name`; resolves once its port answers.
 * `http` may use `@PORT@` (replaced by `port`) and any other `@NAME@` given in `vars`.
 * Resolves to the master's PID (its workers are its children).
 * @throws Error when nginx exits or does not listen within 5 s.
 */
export async function startNginx(
  workDir: string,
  name: string,
  port: number,
  workers: number,
  http: string,
  vars: Readonly<Record<string, string>> = {},
  /** Directives of the main context, e.g. `load_module …;`. */
  main = "",
): Promise<number> {
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  let body = http.replaceAll("@PORT@", String(port));
  for (const [key, value] of Object.entries(vars)) body = body.replaceAll(`@${key}@`, value);
  writeFileSync(join(dir, "nginx.conf"), nginxConf(dir, workers, body, main));
  const proc = Bun.spawn(
    ["/usr/sbin/nginx", "-p", `${dir}/`, "-c", join(dir, "nginx.conf"), "-e", "stderr"],
    { stdin: "ignore", stdout: "ignore", stderr: "inherit" },
  );
  nginxes.push(proc);
  // nginx logs nothing once it listens: poll its port.
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`nginx ${name} exited with ${proc.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (up) return proc.pid;
    await Bun.sleep(50);
  }
  throw new Error(`nginx ${name} did not listen on ${port}`);
}

/** Stops every nginx started by {@link startNginx} (SIGQUIT: graceful) and waits for them. */
export async function stopNginxes(): Promise<void> {
  for (const nginx of nginxes) nginx.kill("SIGQUIT");
  await Promise.all(nginxes.map((n) => n.exited));
}
