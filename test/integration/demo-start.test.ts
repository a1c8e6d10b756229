/**
 * `npm run demo` where it cannot start: a busy port is one line on stderr naming it and the setting
 * to change, with no stack trace and no banner first; and its banner lists every video id the
 * simulated YouTube serves, as `npm run fake-youtube` does.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { CATALOG } from "../../fake-youtube/catalog.ts";
import { QUIRK_VIDEOS } from "../../fake-youtube/extractor-quirks.ts";
import { RECORDED_FIXTURES } from "../../fake-youtube/fixtures.ts";
import { thenKill } from "../support/processes.ts";

const root = new URL("../..", import.meta.url).pathname;
let holder: Bun.TCPSocketListener<undefined>;

beforeAll(() => {
  // A port some other program holds.
  holder = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
});
afterAll(() => holder?.stop(true));

function demo(env: Record<string, string>) {
  return Bun.spawn([process.execPath, "scripts/demo.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
}

async function outcome(proc: ReturnType<typeof demo>) {
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

test("a busy port for the simulated YouTube is one line naming FAKE_YOUTUBE_PORT, and exit 1", async () => {
  const { stdout, stderr, code } = await outcome(demo({ PORT: "0", FAKE_YOUTUBE_PORT: String(holder.port) }));
  expect(code).toBe(1);
  expect(stderr.trimEnd().split("\n")).toEqual([
    `downtube demo: cannot listen on 127.0.0.1:${holder.port} for the simulated YouTube: the port is in use by another process (set FAKE_YOUTUBE_PORT to a free one)`,
  ]);
  expect(stdout).not.toContain("Simulated videos");
  expect(stdout).not.toContain("simulated videos");
});

test("a busy gateway port is the gateway's one line, with no banner before it, and exit 1", async () => {
  const { stdout, stderr, code } = await outcome(demo({ PORT: String(holder.port), FAKE_YOUTUBE_PORT: "0" }));
  expect(code).toBe(1);
  expect(stderr.trimEnd().split("\n")).toEqual([
    `downtube: cannot listen on 127.0.0.1:${holder.port}: the port is in use by another process (set PORT to a free one)`,
  ]);
  expect(stdout).not.toContain("simulated videos");
});

test("once the gateway listens, the banner lists every id the simulated YouTube serves", async () => {
  const proc = demo({ PORT: "0", FAKE_YOUTUBE_PORT: "0" });
  const ids = [...CATALOG, ...QUIRK_VIDEOS, ...RECORDED_FIXTURES].map((v) => v.id);
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let gatewayPid = 0;
  await thenKill([proc.pid], async () => {
    // Read until the banner's last line is in (or the demo ends, which fails below).
    while (!text.includes(`  ${ids.at(-1)}  `)) {
      const read = await reader.read();
      if (read.done) break;
      text += decoder.decode(read.value, { stream: true });
      gatewayPid ||= Number(/"message":"downtube listening".*?"pid":(\d+)/.exec(text)?.[1] ?? 0);
    }
    const listening = text.indexOf('"message":"downtube listening"');
    expect(listening).toBeGreaterThanOrEqual(0);
    for (const id of ids) expect(text.indexOf(`  ${id}  `)).toBeGreaterThan(listening);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  });
  // The demo stops its gateway; should it not have, nothing is left behind (never pid 0: the group).
  await thenKill(gatewayPid > 0 ? [gatewayPid] : [], async () => {});
});
