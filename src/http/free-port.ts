import net from "node:net";

/**
 * A TCP port on `host` that was free a moment ago, as the kernel hands one out for port 0: for
 * servers that cannot listen on port 0 themselves and report where (nginx, redis-server).
 */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error(`no port was handed out on ${host}`)),
      );
    });
  });
}
