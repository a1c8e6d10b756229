/**
 * Entry point of the player sandbox: a separate `bun` process in which YouTube's player code
 * runs (youtubei.js's decipher functions), so that code never runs inside the gateway. Started
 * by `createPlayerSandbox` with an empty environment and no shell; reads one JSON request per
 * line on stdin (`{"id","code"}`), answers one per line on stdout (`{"id","value"}` or
 * `{"id","error"}`), and exits when stdin closes (the gateway stopped or died).
 *
 * What this buys: the player code cannot read the gateway's memory or secrets (the environment
 * is empty), cannot crash or block the gateway (a hang is killed after the extraction budget),
 * and dies with it. It is not a network sandbox: the inputs spliced into the code are checked in
 * the gateway before they get here, and that check is the security boundary.
 */
const output = Bun.stdout.writer();
const input = Bun.stdin.stream().getReader();
const reply = (message: Record<string, unknown>) => {
  output.write(`${JSON.stringify(message)}\n`);
  output.flush();
};

// Removable ways out are removed; Bun's own members (Bun.connect, Bun.spawn…) cannot be (they
// are neither deletable nor writable), so this is a speed bump, not a network sandbox.
for (const name of ["fetch", "WebSocket", "EventSource", "XMLHttpRequest", "process", "require"]) {
  Reflect.deleteProperty(globalThis, name);
}

const decoder = new TextDecoder();
let buffered = "";
for (let read = await input.read(); !read.done; read = await input.read()) {
  buffered += decoder.decode(read.value, { stream: true });
  let end = buffered.indexOf("\n");
  while (end >= 0) {
    const line = buffered.slice(0, end);
    buffered = buffered.slice(end + 1);
    end = buffered.indexOf("\n");
    let id: unknown;
    try {
      const request = JSON.parse(line) as { id?: unknown; code?: unknown };
      id = request.id;
      if (typeof request.code !== "string") throw new TypeError("no code to run");
      reply({ id, value: new Function(request.code)() });
    } catch (error) {
      reply({ id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
}
