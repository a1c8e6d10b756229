/**
 * Runs the simulated YouTube alone (`npm run fake-youtube`): on `PORT` or 8484, 127.0.0.1 only.
 * Prints its origin and what each simulated video and recorded fixture is for.
 */
import { CATALOG } from "./catalog.ts";
import { QUIRK_VIDEOS } from "./extractor-quirks.ts";
import { RECORDED_FIXTURES } from "./fixtures.ts";
import { CHANNEL_HANDLE, CHANNEL_UPLOADS, PLAYLISTS } from "./playlists.ts";
import { startFakeYouTube } from "./server.ts";

const port = Number(process.env.PORT ?? 8484);
const fake = await startFakeYouTube({ port });

const lines = [
  `simulated YouTube listening on ${fake.origin}`,
  `route a YouTube URL here by keeping its path and query: ${fake.origin}/watch?v=<id>`,
  "",
  "simulated videos:",
  ...[...CATALOG, ...QUIRK_VIDEOS].map((video) => `  ${video.id}  ${video.purpose}`),
  "",
  `simulated playlists (browse VL<id>), and the channel ${CHANNEL_HANDLE} with ${CHANNEL_UPLOADS} uploads:`,
  ...PLAYLISTS.map((list) => `  ${list.id}  ${list.purpose}`),
  "",
  "recorded 2020 pages (metadata only; their media URLs are real googlevideo hosts):",
  ...RECORDED_FIXTURES.map((f) => {
    const outcome = f.expectedError ? `refused: ${f.expectedError}` : `${f.formatCount} formats`;
    return `  ${f.id}  ${f.name} (${outcome})`;
  }),
];
console.log(lines.join("\n"));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void fake.stop().then(() => process.exit(0));
  });
}
