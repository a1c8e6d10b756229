import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { type FakeYouTube, startFakeYouTube } from "../../fake-youtube/server.ts";
import { prepareDownloadAt } from "../support/downloads.ts";
import { logLines } from "../support/log-lines.ts";
import { exists as alive } from "../support/processes.ts";
import { spawnServer } from "../support/server-process.ts";

// `npm run start:nginx` as a process: a managed nginx in front, the gateway behind it.

let youtube: FakeYouTube;
beforeAll(async () => {
  youtube = await startFakeYouTube();
});
afterAll(async () => {
  await youtube.stop();
});

function startWithNginx() {
  const server = spawnServer(["--nginx"], {
    DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin,
    DOWNTUBE_SHUTDOWN_GRACE_MS: "2000",
  });
  return { server, lines: logLines(server.stdout) };
}

/** Resolves once `pid` is gone, checking every 20 ms; rejects after `ms`. */
async function gone(pid: number, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (alive(pid)) {
    if (performance.now() > deadline) throw new Error(`process ${pid} still runs after ${ms} ms`);
    await Bun.sleep(20);
  }
}

test("nginx listens on PORT in front of a gateway on an internal port, carries downloads, and both stop on SIGTERM", async () => {
  const { server, lines } = startWithNginx();
  const started = await lines.until("downtube listening");
  const front = new URL(String(started.url));
  const gateway = new URL(String(started.gateway));
  const nginxPid = Number(started.nginxPid);
  expect(started.offload).toBe("nginx");
  expect(gateway.host).not.toBe(front.host);
  expect(gateway.hostname).toBe("127.0.0.1");
  expect(alive(nginxPid)).toBe(true);

  const ticket = await prepareDownloadAt(new URL("/graphql", front), { url: VIDEO_IDS.plain });
  expect(new URL(ticket.url).host).toBe(front.host);
  const response = await fetch(ticket.url);
  expect(response.status).toBe(200);
  expect(response.headers.get("server")).toBe("nginx");
  const file = youtube.media.get(18);
  if (file === undefined) throw new Error("no itag 18");
  const hash = (bytes: ArrayBuffer | Uint8Array) =>
    new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
  expect(hash(await response.arrayBuffer())).toBe(hash(await Bun.file(file.path).bytes()));

  server.kill("SIGTERM");
  expect(await server.exited).toBe(0);
  expect(alive(nginxPid)).toBe(false);
  expect(existsSync(String(started.nginxDir))).toBe(false);
});

test("nginx does not outlive a gateway that is killed outright", async () => {
  const { server, lines } = startWithNginx();
  const started = await lines.until("downtube listening");
  const nginxPid = Number(started.nginxPid);
  expect(alive(nginxPid)).toBe(true);
  server.kill("SIGKILL");
  await server.exited;
  await gone(nginxPid, 5000);
  expect(alive(nginxPid)).toBe(false);
  // Nobody was left to remove its temporary directory.
  rmSync(String(started.nginxDir), { recursive: true, force: true });
});

test("refuses to start, in one line naming the package, when nginx has no js module for the slice guard", async () => {
  // An nginx whose `-V` names a modules directory without ngx_http_js_module.so.
  const dir = mkdtempSync(join(tmpdir(), "downtube-fake-nginx-"));
  try {
    const fake = join(dir, "nginx");
    writeFileSync(fake, `#!/bin/sh\necho "configure arguments: --modules-path=${dir}/modules" >&2\n`);
    chmodSync(fake, 0o755);
    const server = spawnServer(["--nginx"], {
      DOWNTUBE_NGINX: fake,
      DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin,
    });
    expect(await server.exited).toBe(1);
    const stderr = await new Response(server.stderr).text();
    expect(stderr).toStartWith("downtube: ");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("libnginx-mod-http-js");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
