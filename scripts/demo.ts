/**
 * `npm run demo`: the simulated YouTube and the gateway together, offline. The gateway runs
 * exactly as `npm start` runs it, with DOWNTUBE_YOUTUBE_ORIGIN pointing at the simulation.
 * Environment: PORT (gateway, default 4000), FAKE_YOUTUBE_PORT (default 8484); every other
 * gateway variable passes through.
 */
import { CATALOG } from "../fake-youtube/catalog.ts";
import { startFakeYouTube } from "../fake-youtube/server.ts";

const youtube = await startFakeYouTube({ port: Number(process.env.FAKE_YOUTUBE_PORT ?? 8484) });
const gateway = Bun.spawn([process.execPath, "src/server.ts"], {
  cwd: new URL("..", import.meta.url).pathname,
  env: { ...process.env, PORT: process.env.PORT ?? "4000", DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin },
  stdout: "inherit",
  stderr: "inherit",
});

const port = process.env.PORT ?? "4000";
console.log(`
downtube demo: simulated YouTube on ${youtube.origin}, gateway on http://127.0.0.1:${port}
  GraphiQL:  http://127.0.0.1:${port}/graphql
  try:       { video(url: "https://youtu.be/${CATALOG[0]?.id}") { title author { name } formats { itag mimeType contentLength } } }
Simulated videos:
${CATALOG.map((v) => `  ${v.id}  ${v.purpose}`).join("\n")}
`);

// Ctrl-C reaches the demo twice (from the terminal and from npm passing it on) and the gateway
// too: one stop, passed on once. The gateway drains its downloads, which still need the simulated
// YouTube, so that stops last; a later Ctrl-C reaches the gateway, which then stops at once.
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  gateway.kill("SIGTERM");
  await gateway.exited;
  await youtube.stop();
  process.exit(0);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
const code = await gateway.exited;
await youtube.stop();
process.exit(code);
