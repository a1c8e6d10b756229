/**
 * Every video id the simulated YouTube serves, with what it is for: printed by
 * `npm run fake-youtube` and by `npm run demo`, so both list the same ids.
 */
import { CATALOG } from "./catalog.ts";
import { QUIRK_VIDEOS } from "./extractor-quirks.ts";
import { RECORDED_FIXTURES } from "./fixtures.ts";
import { CHANNEL_HANDLE, CHANNEL_UPLOADS, PLAYLISTS } from "./playlists.ts";

/** The lines of the list, indented, with a heading for each kind. */
export function servedVideoLines(): string[] {
  return [
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
}
