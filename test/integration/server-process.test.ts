import { expect, test } from "bun:test";
import { logLines } from "../support/log-lines.ts";

const root = new URL("../..", import.meta.url).pathname;

function startServer(env: Record<string, string>) {
  return Bun.spawn([process.execPath, "src/server.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
}

test("refuses to start on a bad configuration, listing every problem", async () => {
  const server = startServer({ PORT: "99999", DOWNTUBE_TOKEN_TTL: "-1", PUBLIC_URL: "nope" });
  expect(await server.exited).toBe(1);
  const stderr = await new Response(server.stderr).text();
  for (const name of ["PORT", "DOWNTUBE_TOKEN_TTL", "PUBLIC_URL"]) expect(stderr).toContain(name);
  expect(stderr).not.toContain("    at ");
});

test("refuses to start with an unknown YouTube extractor, naming it", async () => {
  const server = startServer({ DOWNTUBE_YOUTUBE_EXTRACTORS: "ytdl,pytube" });
  expect(await server.exited).toBe(1);
  const stderr = await new Response(server.stderr).text();
  expect(stderr).toContain("DOWNTUBE_YOUTUBE_EXTRACTORS");
  expect(stderr).toContain('unknown extractor "pytube"');
});

test("refuses to start in production without token secrets", async () => {
  const server = startServer({ NODE_ENV: "production" });
  expect(await server.exited).toBe(1);
  expect(await new Response(server.stderr).text()).toContain("DOWNTUBE_TOKEN_SECRETS");
});

test("starts, answers, and exits 0 on SIGTERM", async () => {
  const server = startServer({ DOWNTUBE_YOUTUBE_ORIGIN: "http://127.0.0.1:9" });
  const started = await logLines(server.stdout).until("downtube listening");
  const health = await fetch(new URL("/healthz", String(started.url)));
  expect(health.status).toBe(200);
  const ready = await fetch(new URL("/readyz", String(started.url)));
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready" });
  server.kill("SIGTERM");
  expect(await server.exited).toBe(0);
});
