import { expect, test } from "bun:test";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { logLines } from "../support/log-lines.ts";
import { spawnServer } from "../support/server-process.ts";

test("refuses to start on a bad configuration, listing every problem", async () => {
  const server = spawnServer([], { PORT: "99999", DOWNTUBE_TOKEN_TTL: "-1", PUBLIC_URL: "nope" });
  expect(await server.exited).toBe(1);
  const stderr = await new Response(server.stderr).text();
  for (const name of ["PORT", "DOWNTUBE_TOKEN_TTL", "PUBLIC_URL"]) expect(stderr).toContain(name);
  expect(stderr).not.toContain("    at ");
});

/** Runs a server that must refuse to start; its stderr, which holds no stack trace. */
async function refusal(env: Record<string, string>): Promise<string> {
  const server = spawnServer([], env);
  expect(await server.exited).toBe(1);
  const stderr = await new Response(server.stderr).text();
  expect(stderr).toStartWith("downtube: ");
  expect(stderr).not.toContain("    at ");
  return stderr;
}

/** A listen failure: exactly one line. */
async function oneLineRefusal(env: Record<string, string>): Promise<string> {
  const stderr = await refusal(env);
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  return stderr;
}

test("refuses a port in use in one line that says so", async () => {
  const holder = http.createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = holder.address() as AddressInfo;
    expect(await oneLineRefusal({ PORT: String(port) })).toContain(`127.0.0.1:${port}: the port is in use`);
  } finally {
    holder.close();
  }
});

test("refuses an address of another machine in one line naming HOST", async () => {
  // 192.0.2.0/24 is reserved for documentation: no machine has it.
  expect(await oneLineRefusal({ HOST: "192.0.2.7" })).toContain(
    "HOST=192.0.2.7 is not an address of this machine",
  );
});

test("refuses an unreadable secrets file in one line naming it", async () => {
  expect(await oneLineRefusal({ DOWNTUBE_TOKEN_SECRETS_FILE: "/nonexistent/downtube-secrets" })).toContain(
    "DOWNTUBE_TOKEN_SECRETS_FILE: cannot read /nonexistent/downtube-secrets (ENOENT)",
  );
});

test("refuses a malformed HOST and an empty PORT before trying to listen", async () => {
  expect(await refusal({ HOST: "999.1.1.1" })).toContain("HOST: expected an IP address");
  expect(await refusal({ HOST: "not-a-host" })).toContain("HOST: expected an IP address");
  expect(await refusal({ PORT: "" })).toContain("PORT: expected a port number");
});

test("refuses to start with an unknown YouTube extractor, naming it", async () => {
  const stderr = await refusal({ DOWNTUBE_YOUTUBE_EXTRACTORS: "ytdl,pytube" });
  expect(stderr).toContain("DOWNTUBE_YOUTUBE_EXTRACTORS");
  expect(stderr).toContain('unknown extractor "pytube"');
});

test("refuses to start in production without token secrets", async () => {
  const server = spawnServer([], { NODE_ENV: "production" });
  expect(await server.exited).toBe(1);
  expect(await new Response(server.stderr).text()).toContain("DOWNTUBE_TOKEN_SECRETS");
});

test("starts, answers, and exits 0 on SIGTERM", async () => {
  const server = spawnServer([], { DOWNTUBE_YOUTUBE_ORIGIN: "http://127.0.0.1:9" });
  const started = await logLines(server.stdout).until("downtube listening");
  const health = await fetch(new URL("/healthz", String(started.url)));
  expect(health.status).toBe(200);
  const ready = await fetch(new URL("/readyz", String(started.url)));
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready", egress: { default: "ok" } });
  server.kill("SIGTERM");
  expect(await server.exited).toBe(0);
});
