import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readdir, rm, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogVideo, VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { largeMediaBytes, type MediaItag } from "../../fake-youtube/media.ts";
import { prepareDownload, type Ticket } from "../support/downloads.ts";
import { type Stack, startStack } from "../support/stack.ts";

const prepare = (id: string, input: Record<string, unknown> = {}): Promise<Ticket> =>
  prepareDownload(stack, { url: id, ...input });

// Real clients (curl, ffprobe) against the download route and the seed's endpoint.

/** Far more than the loopback socket buffers hold, so a throttled client pushes back on the gateway. */
const LARGE_BYTES = 24 * 1024 * 1024;

let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack({ DOWNTUBE_UPSTREAM_TIMEOUT_MS: "5000" }, { largeMedia: { bytes: LARGE_BYTES } });
  dir = await mkdtemp(join(tmpdir(), "downtube-clients-"));
});
afterAll(async () => {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
});

async function run(cmd: string[], cwd = dir) {
  const proc = Bun.spawn(cmd, { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

async function sha256(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(await Bun.file(path).arrayBuffer());
  return hasher.digest("hex");
}

function originFile(itag: MediaItag) {
  const file = stack.youtube.media.get(itag);
  if (file === undefined) throw new Error(`the simulated YouTube has no itag ${itag}`);
  return file;
}

describe("curl", () => {
  test("curl -C - resumes an interrupted download into a file identical to the origin's", async () => {
    const origin = originFile(18);
    const ticket = await prepare(VIDEO_IDS.plain, { format: { itag: 18 } });
    const part = join(dir, "resumed.mp4");
    const half = Math.floor(origin.size / 2);

    // The interruption: a first transfer that got only the first half of the file.
    const first = await run(["curl", "-sS", "-f", "-o", part, ticket.url]);
    expect(first.code).toBe(0);
    await truncate(part, half);
    expect(Bun.file(part).size).toBe(half);

    const resumed = await run(["curl", "-sS", "-f", "-C", "-", "-o", part, "-w", "%{http_code}", ticket.url]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe("206");
    expect(Bun.file(part).size).toBe(origin.size);
    expect(await sha256(part)).toBe(await sha256(origin.path));
  });

  test("curl -r then curl -C - completes a partial range into the whole file", async () => {
    const origin = originFile(248);
    const ticket = await prepare(VIDEO_IDS.plain, { format: { itag: 248 } });
    const part = join(dir, "ranged.webm");
    expect(origin.size).toBeGreaterThan(100_000);

    const first = await run(["curl", "-sS", "-f", "-r", "0-99999", "-o", part, ticket.url]);
    expect(first.code).toBe(0);
    expect(Bun.file(part).size).toBe(100_000);

    const resumed = await run(["curl", "-sS", "-f", "-C", "-", "-o", part, ticket.url]);
    expect(resumed.code).toBe(0);
    expect(await sha256(part)).toBe(await sha256(origin.path));
  });

  test("throttled curl downloads get every byte in place while the gateway waits on their sockets", async () => {
    // The gateway frees each chunk as soon as the socket has taken it (owned-chunks.ts): a chunk
    // freed too early would arrive as missing or foreign bytes. Two clients at once, so freed
    // memory is handed straight to the other download's chunks.
    const expected = new Bun.CryptoHasher("sha256").update(largeMediaBytes(0, LARGE_BYTES - 1)).digest("hex");
    const downloads = await Promise.all(
      ["throttled-1.mp4", "throttled-2.mp4"].map(async (name) => {
        const file = join(dir, name);
        const ticket = await prepare(VIDEO_IDS.large);
        expect(ticket.contentLength).toBe(LARGE_BYTES);
        const curl = await run(["curl", "-sS", "-f", "--limit-rate", "16M", "-o", file, ticket.url]);
        return { file, ...curl };
      }),
    );
    for (const { file, code, stderr } of downloads) {
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(await sha256(file)).toBe(expected);
    }
  });

  test("curl -LOJ against /api/downtube saves the best muxed mp4 under the video's title", async () => {
    const video = catalogVideo(VIDEO_IDS.cipher);
    if (video === undefined) throw new Error("the catalog lost the ciphered video");
    const expectedName = `${video.title}.mp4`;
    // The title needs no sanitising, so curl's name (from filename="…") must be exactly this.
    expect(expectedName).toMatch(/^[\x20-\x7e]+$/);
    expect(expectedName).not.toMatch(/["/\\:*?<>|]/);

    const target = await mkdtemp(join(dir, "ojl-"));
    const endpoint = new URL(`/api/downtube?video_url=${VIDEO_IDS.cipher}`, stack.gateway.url).href;
    const saved = await run(["curl", "-sS", "-f", "-L", "-O", "-J", endpoint], target);
    expect(saved.stderr).toBe("");
    expect(saved.code).toBe(0);
    expect(await readdir(target)).toEqual([expectedName]);
    // Best muxed mp4 of the simulated YouTube: itag 18 is its only muxed format.
    expect(await sha256(join(target, expectedName))).toBe(await sha256(originFile(18).path));
  });
});

describe("HEAD /api/downtube", () => {
  test("curl -IL shows GET's headers: the redirect, then the file's type, size and name", async () => {
    const endpoint = new URL(`/api/downtube?video_url=${VIDEO_IDS.plain}`, stack.gateway.url).href;
    const { stdout, code } = await run(["curl", "-sS", "-I", "-L", endpoint], dir);
    expect(code).toBe(0);
    const statuses = [...stdout.matchAll(/^HTTP\/1\.1 (\d+)/gm)].map((m) => m[1]);
    expect(statuses).toEqual(["302", "200"]);
    expect(stdout).toMatch(/^location: .*\/download\//im);
    expect(stdout).toMatch(/^content-type: video\/mp4/im);
    expect(stdout).toMatch(new RegExp(`^content-length: ${originFile(18).size}\\s*$`, "im"));
    expect(stdout).toMatch(/^content-disposition: attachment;/im);
  });

  test("HEAD without video_url answers GET's 400, without a body", async () => {
    const response = await fetch(new URL("/api/downtube", stack.gateway.url), { method: "HEAD" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toStartWith("application/json");
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });
});

describe("GET /api/downtube errors", () => {
  const seed = (query: string) =>
    fetch(new URL(`/api/downtube${query}`, stack.gateway.url), { redirect: "manual" });

  test("answers 400 BAD_USER_INPUT JSON without video_url", async () => {
    for (const query of ["", "?video_url=", "?other=Plain000001"]) {
      const response = await seed(query);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toStartWith("application/json");
      expect(await response.json()).toMatchObject({ error: { code: "BAD_USER_INPUT" } });
    }
  });

  test("answers 400 UNSUPPORTED_URL JSON for a URL of no supported site", async () => {
    const response = await seed(`?video_url=${encodeURIComponent("https://vimeo.com/76979871")}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "UNSUPPORTED_URL" } });
  });

  test("answers 403 VIDEO_PRIVATE JSON for a private video, without redirecting", async () => {
    const url = `https://www.youtube.com/watch?v=${VIDEO_IDS.private}`;
    const response = await seed(`?video_url=${encodeURIComponent(url)}`);
    expect(response.status).toBe(403);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.json()).toMatchObject({ error: { code: "VIDEO_PRIVATE" } });
  });

  test("redirects a watch URL to a fresh download URL", async () => {
    const url = `https://youtu.be/${VIDEO_IDS.plain}`;
    const response = await seed(`?video_url=${encodeURIComponent(url)}`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location") ?? "", stack.gateway.url);
    expect(location.pathname).toStartWith("/download/");
    const download = await fetch(location);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toStartWith("attachment;");
    expect((await download.arrayBuffer()).byteLength).toBe(originFile(18).size);
  });
});

describe("ffprobe reads an INLINE download URL over HTTP", () => {
  const cases: { itag: MediaItag; codecs: string[] }[] = [
    { itag: 18, codecs: ["aac", "h264"] },
    { itag: 248, codecs: ["vp9"] },
    { itag: 251, codecs: ["opus"] },
  ];
  const expectedSeconds = catalogVideo(VIDEO_IDS.plain)?.lengthSeconds ?? Number.NaN;

  for (const { itag, codecs } of cases) {
    test(`itag ${itag}: duration of the catalog and codecs ${codecs.join("+")}`, async () => {
      const ticket = await prepare(VIDEO_IDS.plain, { format: { itag }, disposition: "INLINE" });
      expect(ticket.format.itag).toBe(itag);
      const head = await fetch(ticket.url, { method: "HEAD" });
      expect(head.headers.get("content-disposition")).toStartWith("inline;");
      const probe = await run([
        "ffprobe",
        ...["-v", "error", "-show_entries", "format=duration:stream=codec_name", "-of", "json"],
        ticket.url,
      ]);
      expect(probe.stderr).toBe("");
      expect(probe.code).toBe(0);
      const parsed = JSON.parse(probe.stdout) as {
        format: { duration: string };
        streams: { codec_name: string }[];
      };
      expect(Math.abs(Number(parsed.format.duration) - expectedSeconds)).toBeLessThanOrEqual(0.5);
      expect(parsed.streams.map((s) => s.codec_name).sort()).toEqual(codecs);
    });
  }
});
