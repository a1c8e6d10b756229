const root = new URL("../..", import.meta.url).pathname;

/** Where a spawned server's stderr goes: read by the test, passed through, or dropped. */
type StderrMode = "pipe" | "inherit" | "ignore";

/**
 * `bun src/server.ts <args>` as its own process, as `npm start` (or `npm run start:nginx` with
 * `--nginx`) runs it, on a free port of 127.0.0.1, with `env` on top of PATH alone. Its stdout is
 * piped (read it with `logLines`); its stderr is piped too unless `stderr` says otherwise.
 */
export function spawnServer<E extends StderrMode = "pipe">(
  args: readonly string[],
  env: Record<string, string>,
  stderr: E = "pipe" as E,
) {
  return Bun.spawn([process.execPath, "src/server.ts", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr,
  });
}
