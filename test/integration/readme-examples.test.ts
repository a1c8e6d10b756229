import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogVideo, VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { logLines } from "../support/log-lines.ts";
import { type Stack, startStack } from "../support/stack.ts";

// The README's examples are run as written, against a gateway on port 0 instead of :4000.
const README_ORIGIN = "http://127.0.0.1:4000";
const ROOT = new URL("../..", import.meta.url).pathname;

let stack: Stack;
let readme: string;
beforeAll(async () => {
  stack = await startStack();
  readme = await Bun.file(new URL("../../README.md", import.meta.url)).text();
});
afterAll(() => stack.stop());

function codeBlocks(language: string): string[] {
  return [...readme.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g"))].map(
    (m) => m[1] ?? "",
  );
}

test("the README's curl example answers what the simulated YouTube holds", async () => {
  const command = codeBlocks("sh").find((block) => block.includes(`curl -s ${README_ORIGIN}/graphql`));
  expect(command).toBeDefined();
  const curl = Bun.spawn(
    ["bash", "-c", (command ?? "").replaceAll(README_ORIGIN, stack.gateway.url.origin)],
    {
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  const body = JSON.parse(await new Response(curl.stdout).text());
  expect(await curl.exited).toBe(0);
  expect(body.errors).toBeUndefined();
  expect(body.data.video.title).toBe(catalogVideo(VIDEO_IDS.plain)?.title);
  expect(body.data.video.formats.length).toBeGreaterThan(0);
});

test("every GraphQL example in the README runs without errors", async () => {
  const queries = codeBlocks("graphql");
  expect(queries.length).toBeGreaterThan(1);
  for (const query of queries) {
    const res = await fetch(stack.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(body.data).toBeDefined();
    // Only the errors the examples show on purpose (a non-YouTube URL, a private video).
    for (const error of body.errors ?? []) {
      expect(["UNSUPPORTED_URL", "VIDEO_PRIVATE"]).toContain(error.extensions?.code ?? "none");
    }
  }
});

test("the README's Try it block, pasted as written into a fresh directory, works against the demo", async () => {
  const block = codeBlocks("sh").find((b) => b.includes(`GW=${README_ORIGIN}`)) ?? "";
  const seed = /`(curl -fLOJ "\$GW\/api\/downtube[^`]+)`/.exec(readme)?.[1];
  // Every line that saves a file fails loudly on a refusal instead of saving the JSON error.
  expect(block).toContain("curl -fOJ");
  expect(block).toContain("curl --fail-with-body -r 0-99 -o head.bin");
  expect(seed).toBeDefined();
  const dir = await mkdtemp(join(tmpdir(), "downtube-readme-"));
  // The demo as `npm run demo` runs it, on free ports instead of :4000 and :8484.
  const demo = Bun.spawn([process.execPath, "scripts/demo.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: "0", FAKE_YOUTUBE_PORT: "0" },
    stdout: "pipe",
    stderr: "inherit",
  });
  try {
    const gateway = new URL(String((await logLines(demo.stdout).until("downtube listening")).url)).origin;
    // Only the gateway's address differs from what a reader pastes.
    const pasted = `${block.replace(`GW=${README_ORIGIN}`, `GW=${gateway}`)}\n${seed}\n`;
    const run = Bun.spawn(["bash", "-euo", "pipefail", "-c", pasted], {
      cwd: dir,
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, stderr] = await Promise.all([run.exited, new Response(run.stderr).text()]);
    expect(code, stderr).toBe(0);
    const saved = await readdir(dir);
    const cipherName = `${catalogVideo(VIDEO_IDS.cipher)?.title}.mp4`;
    expect(saved).toContain(cipherName);
    expect(saved).toContain("head.bin");
    // The seed's file: another name (curl saves the title's ASCII fallback), the same bytes.
    const videos = saved.filter((name) => name.endsWith(".mp4"));
    expect(videos).toHaveLength(2);
    const media = await Bun.file(join(ROOT, "test/.media/itag18-640x360.mp4")).bytes();
    for (const name of videos)
      expect(Bun.hash(await Bun.file(join(dir, name)).bytes())).toBe(Bun.hash(media));
    expect((await Bun.file(join(dir, "head.bin")).bytes()).byteLength).toBe(100);
  } finally {
    demo.kill("SIGTERM");
    await demo.exited;
    await rm(dir, { recursive: true, force: true });
  }
});
