import { afterAll, beforeAll, expect, test } from "bun:test";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createJsonLogger } from "../../src/core/logger.ts";
import { toNodeListener } from "../../src/http/node-listener.ts";

/** Routes of a handler that fails in the ways the app itself never should. */
const routes: Record<string, () => Response | Promise<Response>> = {
  "/throws": () => {
    throw new Error("secret detail of a synchronous failure");
  },
  "/rejects": async () => {
    throw new Error("secret detail of an asynchronous failure");
  },
  "/not-a-response": async () => undefined as unknown as Response,
  "/ok": () => new Response("fine"),
};

const logs: string[] = [];
let server: http.Server;
let base: string;
beforeAll(async () => {
  const listener = toNodeListener(
    (request) => {
      const route = routes[new URL(request.url).pathname];
      return route === undefined ? new Response(null, { status: 404 }) : route();
    },
    createJsonLogger((line) => logs.push(line), Date.now),
  );
  server = http.createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

for (const path of ["/throws", "/rejects", "/not-a-response"]) {
  test(`a handler failure before the response (${path}) is a masked 500 JSON, logged, and the server lives on`, async () => {
    const logged = logs.length;
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({
      error: { code: "INTERNAL_SERVER_ERROR", message: "Unexpected error." },
    });
    expect(body).not.toContain("secret");
    expect(logs.slice(logged).some((line) => line.includes("a response could not be written"))).toBe(true);

    const after = await fetch(`${base}/ok`);
    expect(await after.text()).toBe("fine");
  });
}
