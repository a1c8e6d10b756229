/**
 * `npm run demo`: the simulated YouTube and the gateway together, offline. The gateway runs
 * exactly as `npm start` runs it, with DOWNTUBE_YOUTUBE_ORIGIN pointing at the simulation.
 * Environment: PORT (gateway, default 4000), FAKE_YOUTUBE_PORT (default 8484); every other
 * gateway variable passes through. What cannot start says so in one line, and the banner is
 * printed only once the gateway listens.
 */
import { CATALOG } from "../fake-youtube/catalog.ts";
import { type FakeYouTube, startFakeYouTube } from "../fake-youtube/server.ts";
import { servedVideoLines } from "../fake-youtube/video-list.ts";

const port = process.env.PORT ?? "4000";
const youtubePort = Number(process.env.FAKE_YOUTUBE_PORT ?? 8484);

/** Ends the demo before anything ran: one line, exit code 1. */
function refuse(message: string): never {
  process.stderr.write(`downtube demo: ${message}\n`);
  process.exit(1);
}

async function startSimulation(): Promise<FakeYouTube> {
  try {
    return await startFakeYouTube({ port: youtubePort });
  } catch (error) {
    if ((error as { code?: unknown }).code === "EADDRINUSE")
      refuse(
        `cannot listen on 127.0.0.1:${youtubePort} for the simulated YouTube: the port is in use by ` +
          "another process (set FAKE_YOUTUBE_PORT to a free one)",
      );
    refuse(error instanceof Error ? error.message : String(error));
  }
}

const youtube = await startSimulation();
const gateway = Bun.spawn([process.execPath, "src/server.ts"], {
  cwd: new URL("..", import.meta.url).pathname,
  env: { ...process.env, PORT: port, DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin },
  stdout: "pipe",
  stderr: "inherit",
});

const banner = () => `
downtube demo: simulated YouTube on ${youtube.origin}, gateway on http://127.0.0.1:${port}
  the page:  http://127.0.0.1:${port}/
  GraphiQL:  http://127.0.0.1:${port}/graphql
  try:       { video(url: "https://youtu.be/${CATALOG[0]?.id}") { title author { name } formats { itag mimeType contentLength } } }

${servedVideoLines().join("\n")}
`;

/** The gateway's log lines, passed on; the banner follows the line that says it listens. */
async function passOnLog(stream: ReadableStream<Uint8Array>): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  let announced = false;
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    pending += decoder.decode(read.value, { stream: true });
    const end = pending.lastIndexOf("\n") + 1;
    const lines = pending.slice(0, end);
    pending = pending.slice(end);
    process.stdout.write(lines);
    if (!announced && lines.includes('"message":"downtube listening"')) {
      announced = true;
      process.stdout.write(banner());
    }
  }
  if (pending !== "") process.stdout.write(pending);
}
const logged = passOnLog(gateway.stdout);

// Ctrl-C reaches the demo twice (from the terminal and from npm passing it on) and the gateway
// too: one stop, passed on once. The gateway drains its downloads, which still need the simulated
// YouTube, so that stops last; a later Ctrl-C reaches the gateway, which then stops at once.
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  gateway.kill("SIGTERM");
  await gateway.exited;
  await logged;
  await youtube.stop();
  process.exit(0);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
const code = await gateway.exited;
await logged;
await youtube.stop();
process.exit(code);
