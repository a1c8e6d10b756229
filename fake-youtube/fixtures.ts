/**
 * Real YouTube pages recorded in 2020 (node-ytdl-core's MIT test fixtures), served as recorded.
 * They live read-only in `../shared/fixtures/youtube-2020` next to the repository. Their media
 * URLs point at real googlevideo hosts: they are for metadata parsing only, never fetched.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PLAYER_JS_PATH } from "./player-js.ts";
import type { Json } from "./player-response.ts";
import { buildWatchPage } from "./watch-page.ts";

/** Where the recorded pages are. */
export const FIXTURE_DIR = resolve(import.meta.dir, "../../shared/fixtures/youtube-2020");

/** Names of the recorded fixtures (their directory names). */
export type FixtureName =
  | "regular"
  | "cipher"
  | "age-restricted"
  | "rental"
  | "private"
  | "non-existent"
  | "live-now";

/** A recorded fixture and what ytdl-core 4.16.12 makes of it through the simulated YouTube. */
export interface RecordedFixture {
  name: FixtureName;
  /** The video id the recording is of (read off the recorded page). */
  id: string;
  /** `watch.html` is served as recorded; `watch.json` (the old JSON watch format) is wrapped. */
  source: "watch.html" | "watch.json";
  /** Version segment of the recorded page's `jsUrl` (`/s/player/<version>/…`). */
  playerVersion?: string;
  /**
   * Formats `getInfo` returns (measured against this fake with ytdl-core 4.16.12; the same with
   * `playerClients: ["WEB"]` and with the default clients, whose answers are the recording too).
   */
  formatCount?: number;
  /** The message ytdl-core throws, for recordings of unplayable videos. */
  expectedError?: string;
}

/** Every recorded fixture the simulated YouTube serves. */
export const RECORDED_FIXTURES: readonly RecordedFixture[] = [
  { name: "regular", id: "_HSylqgVYQI", source: "watch.html", playerVersion: "ec262be6", formatCount: 7 },
  { name: "cipher", id: "YQHsXMglC9A", source: "watch.html", playerVersion: "62f90c99", formatCount: 22 },
  { name: "live-now", id: "5qap5aO4i9A", source: "watch.html", playerVersion: "62f90c99", formatCount: 8 },
  {
    name: "age-restricted",
    id: "LuZu9N53Vd0",
    source: "watch.html",
    playerVersion: "408be03a",
    expectedError: "Sign in to confirm your age",
  },
  {
    name: "rental",
    id: "SyKPsFRP_Oc",
    source: "watch.html",
    playerVersion: "62f90c99",
    expectedError: "This video requires payment to watch.",
  },
  {
    name: "private",
    id: "z2jeHsa0UG0",
    source: "watch.json",
    expectedError: "This is a private video. Please sign in to verify that you may see it.",
  },
  // YouTube answers an unknown id with 200 and `ERROR` / "Video unavailable", as recorded.
  { name: "non-existent", id: "99999999999", source: "watch.json", expectedError: "Video unavailable" },
];

/** The recorded fixture for `name`. */
export function recordedFixture(name: FixtureName): RecordedFixture {
  const fixture = RECORDED_FIXTURES.find((f) => f.name === name);
  if (!fixture) throw new Error(`no recorded fixture named ${name}`);
  return fixture;
}

/** A recorded page ready to serve. */
export interface RecordedPage {
  fixture: RecordedFixture;
  watchHtml: string;
  playerResponse: { [key: string]: Json };
}

/** Cuts the balanced `{…}` starting at `start`, skipping braces inside JSON strings. */
function balancedObject(text: string, start: number): string {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error("unbalanced JSON object in recorded page");
}

type Entry = { playerResponse?: Json; response?: Json };

/** The old JSON watch format: an array of page parts, one of them holding `playerResponse`. */
function readWatchJsonArray(dir: string): Entry[] {
  return JSON.parse(readFileSync(resolve(dir, "watch.json"), "utf8")) as Entry[];
}

function playerResponseOf(dir: string, html: string | undefined): { [key: string]: Json } {
  const marker = "var ytInitialPlayerResponse = ";
  const at = html?.indexOf(marker) ?? -1;
  if (html !== undefined && at >= 0) return JSON.parse(balancedObject(html, at + marker.length));
  const entry = readWatchJsonArray(dir).find((e) => e.playerResponse !== undefined);
  if (!entry) throw new Error(`no player response recorded in ${dir}`);
  const value = entry.playerResponse;
  return (typeof value === "string" ? JSON.parse(value) : value) as { [key: string]: Json };
}

const pages = new Map<FixtureName, RecordedPage>();

/** Loads (once) the recorded watch page and player response of a fixture. */
export function loadRecordedPage(name: FixtureName): RecordedPage {
  const cached = pages.get(name);
  if (cached) return cached;
  const fixture = recordedFixture(name);
  const dir = resolve(FIXTURE_DIR, name);
  if (!existsSync(dir)) {
    throw new Error(
      `recorded YouTube pages not found at ${dir}: the repository must sit beside the shared/ folder that holds fixtures/youtube-2020`,
    );
  }
  let page: RecordedPage;
  if (fixture.source === "watch.html") {
    const watchHtml = readFileSync(resolve(dir, "watch.html"), "utf8");
    page = { fixture, watchHtml, playerResponse: playerResponseOf(dir, watchHtml) };
  } else {
    const playerResponse = playerResponseOf(dir, undefined);
    const initialData = readWatchJsonArray(dir).find((e) => e.response !== undefined)?.response ?? {};
    const watchHtml = buildWatchPage({
      videoId: fixture.id,
      title: "YouTube",
      playerResponse,
      initialData,
      jsUrl: PLAYER_JS_PATH,
    });
    page = { fixture, watchHtml, playerResponse };
  }
  pages.set(name, page);
  return page;
}

/** Title and author name as the recording states them (`videoDetails`), for playable fixtures. */
export function recordedDetails(name: FixtureName): { title: string; author: string } {
  const details = loadRecordedPage(name).playerResponse.videoDetails as { title?: string; author?: string };
  if (typeof details?.title !== "string" || typeof details.author !== "string") {
    throw new Error(`fixture ${name} records no video details`);
  }
  return { title: details.title, author: details.author };
}

/** The recorded fixture whose id is `id`, if any. */
export function fixtureById(id: string): RecordedFixture | undefined {
  return RECORDED_FIXTURES.find((f) => f.id === id);
}

/** Path of the recorded html5player for a `/s/player/<version>/` segment, if one was recorded. */
export function recordedPlayerFile(version: string): string | undefined {
  for (const fixture of RECORDED_FIXTURES) {
    if (fixture.playerVersion !== version) continue;
    const path = resolve(FIXTURE_DIR, fixture.name, "player_ias.vflset.js");
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** The recorded DASH or HLS manifest of the `live-now` fixture. */
export function recordedManifestFile(kind: "dash" | "hls"): string {
  return resolve(FIXTURE_DIR, "live-now", kind === "dash" ? "dash-manifest.xml" : "hls-manifest.m3u8");
}
