import type { Server } from "node:http";

/** The gateway cannot listen where it was told to: the message names the cause and the setting. */
export class ListenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ListenError";
  }
}

/** What an operator should read for a listen failure, by the system's error code. */
function causeOf(code: string | undefined, host: string, port: number): string {
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  switch (code) {
    case "EADDRINUSE":
      return `cannot listen on ${where}: the port is in use by another process (set PORT to a free one)`;
    case "EADDRNOTAVAIL":
      return `cannot listen on ${where}: HOST=${host} is not an address of this machine`;
    case "EACCES":
    case "EPERM":
      return `cannot listen on ${where}: not permitted (ports below 1024 need privileges; set PORT)`;
    default:
      // Bun reports a host it cannot use as ENOTCONN or ENOTFOUND, not as a bad address.
      return `cannot listen on ${where}: HOST=${host} cannot be used (${code ?? "unknown error"})`;
  }
}

/**
 * Starts `server` listening on `host:port` (port 0: any free port). Rejects with a `ListenError`
 * naming the cause (port in use, address not of this machine, no permission) instead of the
 * runtime's raw error.
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(new ListenError(causeOf(error.code, host, port), { cause: error }));
    server.once("error", failed);
    server.listen(port, host, () => {
      server.off("error", failed);
      resolve();
    });
  });
}
