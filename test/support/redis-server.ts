import net from "node:net";

/** A real redis-server of the test's own, on 127.0.0.1, without persistence. */
export interface TestRedis {
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts redis-server (installed by scripts/setup-test-deps.sh) and waits until it accepts connections. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
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
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}
