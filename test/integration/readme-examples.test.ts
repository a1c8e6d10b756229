import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogVideo, VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { type Stack, startStack } from "../support/stack.ts";

// The README's examples are run as written, against a gateway on port 0 instead of :4000.
const README_ORIGIN = "http://127.0.0.1:4000";

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

test("the README's worked example saves the video under its title, and a range", async () => {
  const script = codeBlocks("sh").find((block) => block.includes(`GW=${README_ORIGIN}`));
  expect(script).toBeDefined();
  const dir = await mkdtemp(join(tmpdir(), "downtube-readme-"));
  try {
    const run = Bun.spawn(
      ["bash", "-euo", "pipefail", "-c", (script ?? "").replaceAll(README_ORIGIN, stack.gateway.url.origin)],
      {
        cwd: dir,
        stdout: "pipe",
        stderr: "inherit",
      },
    );
    expect(await run.exited).toBe(0);
    const origin = stack.youtube.media.get(18);
    const expectedName = `${catalogVideo(VIDEO_IDS.cipher)?.title}.mp4`;
    expect(await readdir(dir)).toEqual(expect.arrayContaining([expectedName, "head.bin"]));
    const saved = await Bun.file(join(dir, expectedName)).bytes();
    expect(Bun.hash(saved)).toBe(Bun.hash(await Bun.file(origin?.path ?? "missing").bytes()));
    expect((await Bun.file(join(dir, "head.bin")).bytes()).byteLength).toBe(100);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
