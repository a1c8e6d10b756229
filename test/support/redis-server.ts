import net from "node:net";
import { freePort } from "../../src/http/free-port.ts";

/** A real redis-server of the test's own, on 127.0.0.1, without persistence. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Freezes the process (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void;
  /** Lets a paused process run again (SIGCONT). */
  resume(): void;
  stop(): Promise<void>;
}

/**
 * Starts redis-server (installed by scripts/setup-test-deps.sh) and waits until it accepts
 * connections. `port`: to start it again where a stopped one was (a Redis restart).
 */
export async function startRedis(options: { port?: number } = {}): Promise<TestRedis> {
  const port = options.port ?? (await freePort());
  const proc = Bun.spawn(
    ["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdout: "pipe", stderr: "ignore" },
  );
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes("Ready to accept connections")) {
    const read = await reader.read();
    if (read.done) throw new Error(`redis-server ended before it was ready:\n${seen}`);
    seen += decoder.decode(read.value, { stream: true });
  }
  reader.releaseLock();
  void proc.stdout.pipeTo(new WritableStream()); // keep draining its output
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pause: () => proc.kill("SIGSTOP"),
    resume: () => proc.kill("SIGCONT"),
    async stop() {
      proc.kill("SIGCONT"); // a paused process would not act on SIGTERM
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/**
 * A TCP listener on 127.0.0.1 that accepts connections and never answers a byte: a Redis that
 * is reachable but hung. Counts the connections it accepted.
 */
export async function startSilentListener(): Promise<{
  readonly url: string;
  connections(): number;
  stop(): Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on("error", () => undefined); // the gateway drops these connections; nothing to report
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    connections: () => accepted,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
