/**
 * A reference peer of `npm run bench`: the gateway's listener with nothing of the gateway.
 *
 * Bun's `node:http` server with the gateway's own listener (`toNodeListener`) and a handler that
 * only fetches `<file>` from run.sh's origin (Range forwarded) and passes the body through
 * (its chunks marked as owned, as the gateway's are, so the listener frees them once written),
 * Content-Length kept: what a download costs on this listener before any token, cache, limit or
 * log. The gateway's figures divided by this peer's show what the gateway itself adds; this peer
 * against the `bun` peer (Bun.serve's native pipe, which cannot send Content-Length) shows what
 * the listener costs.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createJsonLogger } from "../../src/core/logger.ts";
import { toNodeListener } from "../../src/http/node-listener.ts";
import { withOwnedChunks } from "../../src/http/owned-chunks.ts";

const ORIGIN = process.env.ORIGIN ?? "http://127.0.0.1:18080";
const FORWARDED = ["content-type", "content-length", "content-range", "accept-ranges", "etag"];

async function passThrough(request: Request): Promise<Response> {
  const file = /^\/download\/([\w.-]+)$/.exec(new URL(request.url).pathname)?.[1];
  if (file === undefined) return new Response(null, { status: 404 });
  const range = request.headers.get("range");
  const upstream = await fetch(`${ORIGIN}/${file}`, {
    headers: range === null ? {} : { Range: range },
    signal: request.signal,
  });
  const headers = new Headers();
  for (const name of FORWARDED) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  // Chunks fresh from fetch, as the gateway's: the listener frees each once written.
  const body = upstream.body === null ? null : withOwnedChunks(upstream.body);
  return new Response(body, { status: upstream.status, headers });
}

const listener = toNodeListener(passThrough, createJsonLogger(console.error, Date.now));
const server = http.createServer((req, res) => void listener(req, res));
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ message: "listening", url: `http://127.0.0.1:${port}/` }));
});
