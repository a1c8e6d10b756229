/**
 * Archives as a person downloads them: `prepareArchive` through a real GraphQL client, the ZIP
 * saved by curl and read by unzip, each entry compared with the simulated YouTube's own bytes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gql } from "@urql/core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { PLAYLIST_IDS } from "../../fake-youtube/playlists.ts";
import type { Ticket } from "../support/downloads.ts";
import { ffprobe, runCommand } from "../support/merges.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const HEAVY_MS = 60_000;

const PREPARE_ARCHIVE = gql`
  mutation Archive($input: PrepareArchiveInput!) {
    prepareArchive(input: $input) {
      url filename mimeType contentLength estimatedContentLength
      format { itag } audioFormat { itag } video { id title }
    }
  }
`;

let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack({ DOWNTUBE_MAX_ARCHIVE_ITEMS: "3" });
  dir = await mkdtemp(join(tmpdir(), "downtube-archives-"));
}, HEAVY_MS);
afterAll(async () => {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
});

const prepareArchive = (input: Record<string, unknown>) =>
  stack.client.mutation<{ prepareArchive: Ticket }>(PREPARE_ARCHIVE, { input }).toPromise();

async function ticketFor(input: Record<string, unknown>): Promise<Ticket> {
  const result = await prepareArchive(input);
  if (result.error !== undefined || result.data === undefined) throw new Error(String(result.error));
  return result.data.prepareArchive;
}

/** curl saves the archive; its response headers and the file's path. */
async function saveWithCurl(url: string, name: string): Promise<{ path: string; headers: string }> {
  const path = join(dir, name);
  const headerFile = join(dir, `${name}.headers`);
  const { code } = await runCommand(["curl", "-sS", "--fail-with-body", "-D", headerFile, "-o", path, url]);
  expect(code).toBe(0);
  return { path, headers: (await readFile(headerFile, "utf8")).toLowerCase() };
}

const sha256 = async (path: string) =>
  new Bun.CryptoHasher("sha256").update(await readFile(path)).digest("hex");

function origin(itag: 18 | 137 | 140) {
  const file = stack.youtube.media.get(itag);
  if (file === undefined) throw new Error(`the simulated YouTube has no itag ${itag}`);
  return file;
}

describe("an archive of files", () => {
  let ticket: Ticket;
  let saved: { path: string; headers: string };
  beforeAll(async () => {
    ticket = await ticketFor({ urls: [VIDEO_IDS.plain, VIDEO_IDS.private, VIDEO_IDS.cipher] });
    saved = await saveWithCurl(ticket.url, "files.zip");
  }, HEAVY_MS);

  test("is a ZIP ticket whose video and format are its first item's", () => {
    expect(ticket.mimeType).toBe("application/zip");
    expect(ticket.filename.endsWith(".zip")).toBe(true);
    expect(ticket.video.id).toBe(VIDEO_IDS.plain);
    expect(ticket.format.itag).toBe(18);
    expect(ticket.contentLength).toBeNull();
  });

  test("has an exact Content-Length, and unzip finds every entry intact", async () => {
    const length = /content-length: (\d+)/.exec(saved.headers)?.[1];
    expect(Number(length)).toBe(Bun.file(saved.path).size);
    const { code, stdout } = await runCommand(["unzip", "-t", saved.path]);
    expect(code).toBe(0);
    expect(stdout).toContain("No errors detected");
  });

  test("names its entries NN - Title.ext in list order, with the failed item in downtube-errors.txt", async () => {
    const { stdout } = await runCommand(["unzip", "-Z1", saved.path]);
    const names = stdout.trim().split("\n");
    expect(names).toHaveLength(3);
    expect(names[0]).toStartWith("01 - ");
    expect(names[0]).toEndWith(".mp4");
    expect(names[1]).toStartWith("03 - ");
    expect(names[2]).toBe("downtube-errors.txt");
    const errors = await runCommand(["unzip", "-p", saved.path, "downtube-errors.txt"]);
    expect(errors.stdout).toContain(VIDEO_IDS.private);
    expect(errors.stdout).toContain("VIDEO_PRIVATE");
  });

  test("holds each video's bytes exactly as the origin serves them", async () => {
    const out = join(dir, "files");
    expect((await runCommand(["unzip", "-q", "-o", saved.path, "-d", out])).code).toBe(0);
    const { stdout } = await runCommand(["unzip", "-Z1", saved.path]);
    const expected = await sha256(origin(18).path);
    for (const name of stdout.trim().split("\n").slice(0, 2))
      expect(await sha256(join(out, name))).toBe(expected);
  });

  test("answers HEAD with the GET's length and no body", async () => {
    const response = await fetch(ticket.url, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("content-length"))).toBe(Bun.file(saved.path).size);
    expect(response.headers.get("content-type")).toBe("application/zip");
  });
});

describe("an archive of a playlist", () => {
  test(
    "holds its playable videos in list order, named after the list, deleted and private entries left out",
    async () => {
      const ticket = await ticketFor({
        playlistUrl: `https://www.youtube.com/playlist?list=${PLAYLIST_IDS.mixed}`,
      });
      expect(ticket.filename).toBe("Mixed list.zip");
      const saved = await saveWithCurl(ticket.url, "playlist.zip");
      expect((await runCommand(["unzip", "-t", saved.path])).code).toBe(0);
      const { stdout } = await runCommand(["unzip", "-Z1", saved.path]);
      const names = stdout.trim().split("\n");
      // Its three playable entries, in order; the deleted and the private one are not items at all.
      expect(names).toHaveLength(3);
      expect(names.map((name) => name.slice(0, 5))).toEqual(["01 - ", "02 - ", "03 - "]);
      expect(names.at(-1)).toEndWith(".mp4");
    },
    HEAVY_MS,
  );

  test("answers PLAYLIST_NOT_FOUND for a private list", async () => {
    const result = await prepareArchive({ playlistUrl: PLAYLIST_IDS.private });
    expect(errorCodes(result.error)).toEqual(["PLAYLIST_NOT_FOUND"]);
  });
});

describe("an archive of merged videos", () => {
  test(
    "is chunked (no length is known in advance) and each entry has a video and an audio stream",
    async () => {
      const ticket = await ticketFor({ urls: [VIDEO_IDS.plain], format: { kind: "MERGED" } });
      expect(ticket.audioFormat?.itag).toBe(140);
      const saved = await saveWithCurl(ticket.url, "merged.zip");
      expect(saved.headers).not.toContain("content-length");
      expect((await runCommand(["unzip", "-t", saved.path])).code).toBe(0);
      const out = join(dir, "merged");
      await runCommand(["unzip", "-q", "-o", saved.path, "-d", out]);
      const { stdout } = await runCommand(["unzip", "-Z1", saved.path]);
      const [name = ""] = stdout.trim().split("\n");
      const probe = await ffprobe(join(out, name));
      expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(["audio", "video"]);
    },
    HEAVY_MS,
  );
});

describe("an archive of audio files", () => {
  test(
    "holds each video as an MP3 that ffprobe reads as one MP3 stream",
    async () => {
      const ticket = await ticketFor({ urls: [VIDEO_IDS.plain, VIDEO_IDS.cipher], audio: { format: "MP3" } });
      const saved = await saveWithCurl(ticket.url, "audio.zip");
      expect((await runCommand(["unzip", "-t", saved.path])).code).toBe(0);
      const { stdout } = await runCommand(["unzip", "-Z1", saved.path]);
      const names = stdout.trim().split("\n");
      expect(names).toHaveLength(2);
      for (const name of names) expect(name).toEndWith(".mp3");
      const out = join(dir, "audio");
      await runCommand(["unzip", "-q", "-o", saved.path, "-d", out]);
      const probe = await ffprobe(join(out, names[0] ?? ""));
      expect(probe.streams.filter((s) => s.codec_type === "audio").map((s) => s.codec_name)).toEqual(["mp3"]);
    },
    HEAVY_MS,
  );
});

describe("prepareArchive refuses", () => {
  test.each([
    ["both playlistUrl and urls", { playlistUrl: "PLx", urls: [VIDEO_IDS.plain] }],
    ["neither playlistUrl nor urls", {}],
    [
      "more urls than DOWNTUBE_MAX_ARCHIVE_ITEMS, maxItems being clamped to it",
      {
        urls: [VIDEO_IDS.plain, VIDEO_IDS.cipher, VIDEO_IDS.large, VIDEO_IDS.expiredOnce],
        maxItems: 10,
      },
    ],
    ["maxItems 0", { urls: [VIDEO_IDS.plain], maxItems: 0 }],
    ["more urls than maxItems", { urls: [VIDEO_IDS.plain, VIDEO_IDS.cipher], maxItems: 1 }],
    ["an empty list", { urls: [] }],
  ])("%s with BAD_USER_INPUT", async (_what, input) => {
    expect(errorCodes((await prepareArchive(input)).error)).toEqual(["BAD_USER_INPUT"]);
  });

  test("a list none of whose first videos can be read, with that video's own code", async () => {
    expect(errorCodes((await prepareArchive({ urls: [VIDEO_IDS.private] })).error)).toEqual([
      "VIDEO_PRIVATE",
    ]);
  });
});
