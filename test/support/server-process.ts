const root = new URL("../..", import.meta.url).pathname;

/**
 * `bun src/server.ts <args>` as its own process, as `npm start` (or `npm run start:nginx` with
 * `--nginx`) runs it, on a free port of 127.0.0.1, with `env` on top of PATH alone.
 */
export function spawnServer(args: readonly string[], env: Record<string, string>) {
  return Bun.spawn([process.execPath, "src/server.ts", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
}
