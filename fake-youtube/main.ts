/**
 * Runs the simulated YouTube alone (`npm run fake-youtube`): on `PORT` or 8484, 127.0.0.1 only.
 * Prints its origin and what each simulated video and recorded fixture is for.
 */
import { startFakeYouTube } from "./server.ts";
import { servedVideoLines } from "./video-list.ts";

const port = Number(process.env.PORT ?? 8484);
const fake = await startFakeYouTube({ port });

const lines = [
  `simulated YouTube listening on ${fake.origin}`,
  `route a YouTube URL here by keeping its path and query: ${fake.origin}/watch?v=<id>`,
  "",
  ...servedVideoLines(),
];
console.log(lines.join("\n"));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void fake.stop().then(() => process.exit(0));
  });
}
