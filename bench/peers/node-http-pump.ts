/**
 * A reference peer of `npm run bench`: the gateway's listener with nothing of the gateway.
 *
 * Bun's `node:http` server answers `GET /download/<file>` by fetching `<file>` from run.sh's
 * origin (Range forwarded) and writing the body with backpressure, Content-Length kept: what a
 * download costs on this listener before any token, cache, limit or log. The gateway's figures
 * divided by this peer's show what the gateway itself adds; this peer divided by the `bun` peer
 * (Bun.serve's native pipe, which cannot send Content-Length) shows what the listener costs.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { writable } from "../../src/http/node-listener.ts";

const ORIGIN = process.env.ORIGIN ?? "http://127.0.0.1:18080";
const FORWARDED = ["content-type", "content-length", "content-range", "accept-ranges", "etag"];

const server = http.createServer(async (req, res) => {
  const file = /^\/download\/([\w.-]+)$/.exec(req.url ?? "")?.[1];
  if (file === undefined) {
    res.writeHead(404).end();
    return;
  }
  const abort = new AbortController();
  res.once("close", () => abort.abort());
  try {
    const upstream = await fetch(`${ORIGIN}/${file}`, {
      headers: req.headers.range === undefined ? {} : { Range: req.headers.range },
      signal: abort.signal,
    });
    const headers = FORWARDED.flatMap((name) => {
      const value = upstream.headers.get(name);
      return value === null ? [] : [name, value];
    });
    res.writeHead(upstream.status, headers);
    if (upstream.body === null) {
      res.end();
      return;
    }
    const reader = upstream.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      if (!res.write(read.value)) await writable(res);
      if (res.destroyed) return;
    }
    res.end();
  } catch {
    res.destroy();
  }
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ message: "listening", url: `http://127.0.0.1:${port}/` }));
});
