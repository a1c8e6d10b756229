/**
 * Audio files as a person keeps them: each format made from the simulated YouTube's real AAC and
 * Opus audio by the gateway's ffmpeg, fetched with curl and read back with ffprobe and a full
 * decode: codec, sample rate, bitrate, length, tags, cover; copies carry the source's packets.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FAKE_CHANNEL, HOSTILE_TITLE, VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { MEDIA_SECONDS, type MediaItag } from "../../fake-youtube/media.ts";
import { type AudioProbe, audioPacketHashes, probeAudio } from "../support/audio.ts";
import { prepareDownload, requestDownload, type Ticket } from "../support/downloads.ts";
import { decodeErrors, runCommand } from "../support/merges.ts";
import { metric } from "../support/metrics.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const HEAVY_MS = 60_000;

let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack();
  dir = await mkdtemp(join(tmpdir(), "downtube-audio-"));
}, HEAVY_MS);
afterAll(async () => {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
});

function source(itag: MediaItag) {
  const file = stack.youtube.media.get(itag);
  if (file === undefined) throw new Error(`the simulated YouTube has no itag ${itag}`);
  return file;
}

const audio = (output: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  prepareDownload(stack, { url: VIDEO_IDS.plain, audio: output, ...extra });

let saved = 0;
/** GETs a ticket with curl into a file; returns its path and the response's header block. */
async function fetchFile(ticket: Ticket): Promise<{ path: string; head: string }> {
  const path = join(dir, `${++saved}-${ticket.filename.split(".").at(-1)}`);
  const curl = await runCommand(["curl", "-sS", "-f", "-D", "-", "-o", path, ticket.url]);
  if (curl.code !== 0) throw new Error(`curl failed: ${curl.stderr}`);
  return { path, head: curl.stdout.toLowerCase() };
}

/** The tags every tagged file of the plain video carries. */
function expectVideoTags(probe: AudioProbe, title: string) {
  expect(probe.tags.title).toBe(title);
  expect(probe.tags.artist).toBe(FAKE_CHANNEL.name);
  expect(probe.tags.date).toBe("2021-07-04");
  expect(probe.tags.comment).toBe(`https://www.youtube.com/watch?v=${VIDEO_IDS.plain}`);
}

const pictures = (probe: AudioProbe) => probe.streams.filter((s) => s.attachedPicture);

describe("converted audio files", () => {
  const CONVERTED = [
    {
      format: "MP3",
      kbps: undefined,
      from: 251,
      codec: "mp3",
      mime: "audio/mpeg",
      ext: "mp3",
      rate: 192_000,
    },
    { format: "MP3", kbps: 128, from: 140, codec: "mp3", mime: "audio/mpeg", ext: "mp3", rate: 128_000 },
    {
      format: "FLAC",
      kbps: undefined,
      from: 251,
      codec: "flac",
      mime: "audio/flac",
      ext: "flac",
      rate: undefined,
    },
    {
      format: "WAV",
      kbps: undefined,
      from: 140,
      codec: "pcm_s16le",
      mime: "audio/wav",
      ext: "wav",
      rate: undefined,
    },
  ] as const;

  test.each(CONVERTED)(
    "$format ($kbps kbit/s) from itag $from: the asked codec at the source's sample rate and length, tagged, decoding cleanly",
    async (c) => {
      const ticket = await audio(
        { format: c.format, ...(c.kbps === undefined ? {} : { bitrateKbps: c.kbps }) },
        { format: { itag: c.from } },
      );
      expect([ticket.mimeType, ticket.filename.split(".").at(-1), ticket.contentLength]).toEqual([
        c.mime,
        c.ext,
        null,
      ]);
      expect(ticket.format.itag).toBe(c.from);
      const { path, head } = await fetchFile(ticket);
      expect(head).toStartWith("http/1.1 200");
      expect(head).toContain(`content-type: ${c.mime}`);
      expect(head).not.toContain("content-length");

      const probe = await probeAudio(path);
      const [sound] = probe.streams;
      expect([sound?.codecType, sound?.codecName]).toEqual(["audio", c.codec]);
      expect(sound?.sampleRate).toBe(source(c.from).audioSampleRate);
      expect(Math.abs(probe.durationSeconds - source(c.from).durationMs / 1000)).toBeLessThan(0.1);
      if (c.rate !== undefined) expect(Math.abs(probe.bitrate - c.rate) / c.rate).toBeLessThan(0.1);
      expectVideoTags(probe, ticket.video.title);
      expect(pictures(probe)).toHaveLength(c.format === "WAV" ? 0 : 1);
      expect(await decodeErrors(path)).toBe("");
    },
    HEAVY_MS,
  );

  test("the MP3 ticket estimates its size from the duration and the bitrate", async () => {
    const ticket = await audio({ format: "MP3", bitrateKbps: 320 });
    // The video's declared length (its lengthSeconds) at 320 kbit/s = 40,000 bytes a second.
    expect(ticket.estimatedContentLength).toBe(MEDIA_SECONDS * 40_000);
  });

  test(
    "a title of quotes, newlines and shell syntax comes back as the exact tag text in MP3 and FLAC",
    async () => {
      for (const format of ["MP3", "FLAC"]) {
        const ticket = await prepareDownload(stack, { url: VIDEO_IDS.hostileTitle, audio: { format } });
        const probe = await probeAudio((await fetchFile(ticket)).path);
        expect(probe.tags.title).toBe(HOSTILE_TITLE);
      }
    },
    HEAVY_MS,
  );

  test(
    "metadata: false leaves out the tags and the cover",
    async () => {
      const ticket = await audio({ format: "MP3", metadata: false });
      const probe = await probeAudio((await fetchFile(ticket)).path);
      expect([probe.tags.title, probe.tags.artist, probe.tags.comment]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      expect(pictures(probe)).toEqual([]);
    },
    HEAVY_MS,
  );

  test(
    "the cover is the video's thumbnail, fetched through the simulated YouTube",
    async () => {
      const before = stack.youtube.hits.count("thumbnail", VIDEO_IDS.plain);
      const ticket = await audio({ format: "MP3" });
      const probe = await probeAudio((await fetchFile(ticket)).path);
      expect(pictures(probe).map((s) => s.codecName)).toEqual(["mjpeg"]);
      expect(stack.youtube.hits.count("thumbnail", VIDEO_IDS.plain)).toBe(before + 1);
    },
    HEAVY_MS,
  );
});

describe("copied audio files", () => {
  const COPIED = [
    { format: "OPUS", from: 251, codec: "opus", mime: "audio/ogg", ext: "opus" },
    { format: "M4A", from: 140, codec: "aac", mime: "audio/mp4", ext: "m4a" },
    { format: "ORIGINAL", from: 140, codec: "aac", mime: "audio/mp4", ext: "m4a" },
    { format: "ORIGINAL", from: 251, codec: "opus", mime: "audio/ogg", ext: "opus" },
  ] as const;

  test.each(COPIED)(
    "$format of itag $from carries the source's $codec packets byte for byte, tagged",
    async (c) => {
      const ticket = await audio(
        { format: c.format },
        c.format === "ORIGINAL" ? { format: { itag: c.from } } : {},
      );
      expect([ticket.format.itag, ticket.mimeType, ticket.filename.split(".").at(-1)]).toEqual([
        c.from,
        c.mime,
        c.ext,
      ]);
      expect(ticket.estimatedContentLength).toBe(source(c.from).size);
      const { path } = await fetchFile(ticket);
      const probe = await probeAudio(path);
      expect(probe.streams.map((s) => s.codecName)).toEqual([c.codec]);
      expect(await audioPacketHashes(path)).toEqual(await audioPacketHashes(source(c.from).path));
      expectVideoTags(probe, ticket.video.title);
      expect(await decodeErrors(path)).toBe("");
    },
    HEAVY_MS,
  );

  test(
    "OPUS with a bitrate is an encode, not a copy",
    async () => {
      const ticket = await audio({ format: "OPUS", bitrateKbps: 64 });
      const path = (await fetchFile(ticket)).path;
      expect((await probeAudio(path)).streams.map((s) => s.codecName)).toEqual(["opus"]);
      expect(await audioPacketHashes(path)).not.toEqual(await audioPacketHashes(source(251).path));
    },
    HEAVY_MS,
  );
});

describe("what an audio download refuses or leaves alone", () => {
  test.each([
    ["a bitrate for FLAC", { format: "FLAC", bitrateKbps: 128 }, {}],
    ["a bitrate for WAV", { format: "WAV", bitrateKbps: 128 }, {}],
    ["a bitrate for ORIGINAL", { format: "ORIGINAL", bitrateKbps: 128 }, {}],
    ["a bitrate under 32 kbit/s", { format: "MP3", bitrateKbps: 16 }, {}],
    ["a bitrate over 320 kbit/s", { format: "MP3", bitrateKbps: 400 }, {}],
    ["a merged source", { format: "MP3" }, { format: { kind: "MERGED" } }],
  ])("answers BAD_USER_INPUT for %s", async (_, output, extra) => {
    const result = await requestDownload(stack, { url: VIDEO_IDS.plain, audio: output, ...extra });
    expect(errorCodes(result.error)).toEqual(["BAD_USER_INPUT"]);
  });

  test("answers FORMAT_NOT_FOUND for a source format without sound", async () => {
    const result = await requestDownload(stack, {
      url: VIDEO_IDS.plain,
      audio: { format: "MP3" },
      format: { itag: 137 },
    });
    expect(errorCodes(result.error)).toEqual(["FORMAT_NOT_FOUND"]);
  });

  test("HEAD answers the headers without fetching media or a thumbnail, or starting ffmpeg", async () => {
    const ticket = await audio({ format: "MP3" });
    const hits = stack.youtube.hits.all.length;
    const started = await metric(stack, 'downtube_ffmpeg_jobs_total{kind="audio",outcome="complete"}');
    const head = await fetch(ticket.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("audio/mpeg");
    expect(head.headers.get("content-disposition")).toEndWith(".mp3");
    expect(head.headers.has("content-length")).toBe(false);
    expect(
      stack.youtube.hits.all.slice(hits).filter((h) => h.kind === "media" || h.kind === "thumbnail"),
    ).toEqual([]);
    expect(await metric(stack, 'downtube_ffmpeg_jobs_running{kind="audio"}')).toBe(0);
    expect(await metric(stack, 'downtube_ffmpeg_jobs_total{kind="audio",outcome="complete"}')).toBe(started);
  });

  test(
    "a Range header is ignored: 200 with the whole file, never 206",
    async () => {
      const ticket = await audio({ format: "MP3" });
      const response = await fetch(ticket.url, { headers: { Range: "bytes=0-99" } });
      expect(response.status).toBe(200);
      expect(response.headers.has("content-range")).toBe(false);
      const path = join(dir, "ranged.mp3");
      await Bun.write(path, await response.arrayBuffer());
      expect(await decodeErrors(path)).toBe("");
    },
    HEAVY_MS,
  );

  test(
    "a maxUses: 1 audio file streams one whole copy, then answers 410 TOKEN_USED; HEAD does not count",
    async () => {
      const ticket = await audio({ format: "MP3" }, { maxUses: 1 });
      expect((await fetch(ticket.url, { method: "HEAD" })).status).toBe(200);
      const first = await fetch(ticket.url);
      expect(first.status).toBe(200);
      await first.arrayBuffer();
      const second = await fetch(ticket.url);
      expect(second.status).toBe(410);
      expect(((await second.json()) as { error: { code: string } }).error.code).toBe("TOKEN_USED");
    },
    HEAVY_MS,
  );
});

describe("the README", () => {
  test(
    "its MP3 example saves a tagged MP3 with its cover under the title",
    async () => {
      const readme = await Bun.file(new URL("../../README.md", import.meta.url)).text();
      const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
      const script = blocks.find((block) => block.includes("audio: {format: MP3}"));
      if (script === undefined) throw new Error("the README has no MP3 curl example");
      const cwd = join(dir, "readme");
      await Bun.write(join(cwd, ".keep"), "");
      const bash = [
        "bash",
        "-euo",
        "pipefail",
        "-c",
        script.replaceAll("http://127.0.0.1:4000", stack.gateway.url.origin),
      ];
      expect(await Bun.spawn(bash, { cwd, stdout: "inherit", stderr: "ignore" }).exited).toBe(0);
      const saved = (await readdir(cwd)).filter((name) => name.endsWith(".mp3"));
      expect(saved).toHaveLength(1);
      const probe = await probeAudio(join(cwd, saved[0] ?? ""));
      expect(probe.streams.map((s) => s.codecName)).toEqual(["mp3", "mjpeg"]);
      expect(probe.tags.artist).toBe(FAKE_CHANNEL.name);
    },
    HEAVY_MS,
  );
});
