import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../core/logger.ts";
import { freePort } from "../http/free-port.ts";
import { type NginxSiteOptions, nginxMainConfig, SLICE_GUARD } from "./nginx-config.ts";

export interface ManagedNginxOptions extends Omit<NginxSiteOptions, "listen" | "sliceGuard"> {
  /** The nginx binary (Debian's `/usr/sbin/nginx`, built with the slice module). */
  readonly binary: string;
  /** Where clients reach nginx; port 0 picks a free one. */
  readonly host: string;
  readonly port: number;
  readonly log: Logger;
  /** How long to wait for nginx to listen, in ms. */
  readonly startTimeoutMs: number;
}

/** A running nginx in front of the gateway, a child of this process. */
export interface ManagedNginx {
  /** Where clients reach it, e.g. `http://127.0.0.1:4000/`. */
  readonly url: URL;
  /** Its master process id. */
  readonly pid: number;
  /** Its temporary directory (config, pid file), removed when it stops. */
  readonly dir: string;
  /** Resolves with its exit code when it exits, for whatever reason. */
  readonly exited: Promise<number>;
  /**
   * Stops it gracefully (SIGQUIT: no new connections, running downloads finish) for up to
   * `graceMs`, then at once (SIGTERM, then SIGKILL). Removes its temporary directory.
   */
  stop(graceMs: number): Promise<void>;
}

/** Error lines of nginx name the request (a token) and the upstream (a media URL): keep the cause only. */
function redacted(line: string): string {
  return line.replace(/^\S+ \S+ /, "").replace(/, client: .*$/, "");
}

/**
 * The js module of the nginx at `binary` (in the modules directory it was built with), which
 * runs the slice guard.
 * @throws Error when it is not installed.
 */
function jsModuleOf(binary: string): string {
  const built = Bun.spawnSync([binary, "-V"], { stdout: "ignore", stderr: "pipe" }).stderr.toString();
  const modules = /--modules-path=(\S+)/.exec(built)?.[1] ?? "/usr/lib/nginx/modules";
  const module = join(modules, "ngx_http_js_module.so");
  if (!existsSync(module)) {
    throw new Error(`nginx's js module is missing (${module}): install Debian's libnginx-mod-http-js`);
  }
  return module;
}

/** Resolves once something accepts connections on host:port, polling every 20 ms. */
async function untilListening(host: string, port: number, deadline: number, exited: Promise<number>) {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (gone) throw new Error("nginx exited before it listened (see its error lines above)");
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${host}:${port} in time`);
    await Bun.sleep(20);
  }
}

/**
 * Starts nginx in the foreground with a configuration generated into a fresh temporary
 * directory. It runs under `setpriv --pdeathsig TERM`, so the kernel stops it if this process
 * dies without stopping it: nginx never outlives the gateway. Its error lines are logged
 * through `log` without the request or upstream parts (tokens, media URLs).
 * @throws Error when nginx or its js module is missing, cannot start, or does not listen within
 *   `startTimeoutMs`.
 */
export async function startManagedNginx(options: ManagedNginxOptions): Promise<ManagedNginx> {
  const jsModule = jsModuleOf(options.binary);
  const dir = mkdtempSync(join(tmpdir(), "downtube-nginx-"));
  // nginx started as root runs its workers as `nobody`: they must reach their temp paths.
  chmodSync(dir, 0o755);
  const port = options.port === 0 ? await freePort(options.host) : options.port;
  const listenHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  const config = join(dir, "nginx.conf");
  writeFileSync(
    config,
    nginxMainConfig({ ...options, dir, jsModule, sliceGuard: SLICE_GUARD, listen: `${listenHost}:${port}` }),
  );

  const child = Bun.spawn(
    ["setpriv", "--pdeathsig", "TERM", options.binary, "-p", `${dir}/`, "-c", config, "-e", "stderr"],
    { stdin: "ignore", stdout: "ignore", stderr: "pipe" },
  );
  void (async () => {
    const decoder = new TextDecoder();
    let pending = "";
    const reader = child.stderr.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      pending += decoder.decode(read.value, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") options.log.warn("nginx", { line: redacted(line) });
    }
  })();
  const exited = child.exited;
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  void exited.then(cleanUp);

  try {
    const connectHost = options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
    await untilListening(connectHost, port, Date.now() + options.startTimeoutMs, exited);
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    throw error;
  }

  const stop = async (graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGQUIT");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), graceMs);
    });
    if ((await Promise.race([exited, late])) === "late") {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 2000);
      await exited;
      clearTimeout(killer);
    }
    clearTimeout(timer);
    await exited;
  };
  return {
    url: new URL(`http://${listenHost === "0.0.0.0" ? "127.0.0.1" : listenHost}:${port}/`),
    pid: child.pid,
    dir,
    exited,
    stop,
  };
}
