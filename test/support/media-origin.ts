import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

/** One request an origin saw. */
export interface OriginHit {
  readonly method: string;
  readonly path: string;
  readonly host: string | undefined;
  readonly range: string | undefined;
  /** The TLS server name the client sent (https origins only). */
  readonly sni: string | undefined;
}

/** A plain web server with media files on loopback, as a direct-URL source would meet one. */
export interface MediaOrigin {
  /** `http://<address>:<port>` */
  readonly origin: string;
  readonly port: number;
  /** The bytes of every media file it serves. */
  readonly clip: Uint8Array<ArrayBuffer>;
  /** Every request so far, in order. */
  readonly hits: OriginHit[];
  /** Resolves with the path of the next response the client closed before its end. */
  nextAbort(): Promise<string>;
  /** Gives `/versioned.mp4` a new ETag, as a new upload under the same URL would. */
  setVersion(etag: string): void;
  /**
   * Moves the file `/moving.mp4` leads to (same bytes, same ETag) to a new place; the old one
   * refuses (403), as a storage's expired signed URL would.
   */
  move(): void;
  /** Deletes the file `/moving.mp4` leads to: the URL answers 404, every old place 403. */
  remove(): void;
  stop(): Promise<void>;
}

export interface MediaOriginOptions {
  /** Where to listen: 127.0.0.1 for the allowed origin, 127.0.0.2 for the forbidden one. */
  readonly address: string;
  /** 0 for any; the forbidden origin takes the allowed one's port so only the address differs. */
  readonly port?: number;
  /** Size of the clip in bytes. */
  readonly clipBytes?: number;
  /** Serve https with this key and certificate (PEM) instead of http. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Size claimed by `/big.mp4` (the body is never sent). */
  readonly bigBytes?: number;
}

const ETAG = '"clip-v1"';

/** What a route needs besides the request. */
interface OriginState {
  readonly clip: Uint8Array;
  readonly bigBytes: number;
  /** The ETag of `/versioned.mp4`, changed by the test to stand for a new upload. */
  version: string;
  /** Where `/moving.mp4` leads: `/at/<place>/clip.mp4`; undefined once removed. */
  place: number | undefined;
}

function sendRanged(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  clip: Uint8Array,
  type: string,
  etag = ETAG,
): void {
  const match = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
  const ifRange = req.headers["if-range"];
  res.setHeader("Content-Type", type);
  res.setHeader("Accept-Ranges", "bytes");
  res.setHeader("ETag", etag);
  if (match === null || (ifRange !== undefined && ifRange !== etag)) {
    res.setHeader("Content-Length", clip.length);
    res.writeHead(200);
    res.end(req.method === "HEAD" ? undefined : clip);
    return;
  }
  const start = match[1] === "" ? clip.length - Number(match[2]) : Number(match[1]);
  const end =
    match[1] === "" || match[2] === "" ? clip.length - 1 : Math.min(Number(match[2]), clip.length - 1);
  if (start > end || start >= clip.length) {
    res.writeHead(416, { "Content-Range": `bytes */${clip.length}` });
    res.end();
    return;
  }
  res.writeHead(206, {
    "Content-Range": `bytes ${start}-${end}/${clip.length}`,
    "Content-Length": end - start + 1,
  });
  res.end(req.method === "HEAD" ? undefined : clip.subarray(start, end + 1));
}

function trickle(res: http.ServerResponse, clip: Uint8Array, stopAt: number, from = 0): void {
  if (res.destroyed) return;
  if (from >= stopAt) {
    if (stopAt < clip.length) res.destroy();
    else res.end();
    return;
  }
  const end = Math.min(from + 16_384, stopAt);
  // Paced, so a client that leaves early leaves before the file is through every buffer on the way.
  res.write(clip.subarray(from, end), () => setTimeout(() => trickle(res, clip, stopAt, end), 20));
}

/** Routes of the test origin; each says what kind of origin it stands for. */
function route(req: http.IncomingMessage, res: http.ServerResponse, state: OriginState) {
  const { clip, bigBytes } = state;
  const url = new URL(req.url ?? "/", "http://origin.invalid");
  const redirect = /^\/hop\/(\d+)$/.exec(url.pathname);
  if (redirect !== null) {
    const left = Number(redirect[1]);
    // Relative, as most origins write them: resolved against the name the gateway asked for.
    res.writeHead(302, { Location: left <= 1 ? "/clip.mp4" : `/hop/${left - 1}` });
    res.end("redirecting");
    return;
  }
  const placed = /^\/at\/(\d+)\/clip\.mp4$/.exec(url.pathname);
  if (placed !== null) {
    if (Number(placed[1]) === state.place) sendRanged(req, res, clip, "video/mp4");
    else res.writeHead(403, { "Content-Type": "text/plain" }).end("link expired");
    return;
  }
  switch (url.pathname) {
    case "/moving.mp4":
      if (state.place === undefined) res.writeHead(404, { "Content-Type": "text/plain" }).end("no such file");
      else res.writeHead(302, { Location: `/at/${state.place}/clip.mp4` }).end();
      return;
    case "/clip.mp4":
      sendRanged(req, res, clip, "video/mp4");
      return;
    case "/versioned.mp4":
      sendRanged(req, res, clip, "video/mp4", state.version);
      return;
    case "/no-head.mp4":
    case "/signed.mp4":
      if (req.method === "HEAD") {
        // 405 from a server without HEAD; 403 from a URL signed for GET alone.
        res.writeHead(url.pathname === "/signed.mp4" ? 403 : 405, { Allow: "GET" });
        res.end();
        return;
      }
      sendRanged(req, res, clip, "video/mp4");
      return;
    case "/named":
      res.setHeader("Content-Disposition", "attachment; filename*=UTF-8''Caf%C3%A9%20tour.webm");
      sendRanged(req, res, clip, "video/webm");
      return;
    case "/whole.webm":
      // An origin without Range: always the whole file, no Accept-Ranges.
      res.writeHead(200, { "Content-Type": "video/webm", "Content-Length": clip.length });
      res.end(req.method === "HEAD" ? undefined : clip);
      return;
    case "/trickle.webm":
    case "/cut.webm":
      // Without Range too, but slow: 16 KiB every 20 ms. `/cut.webm` dies halfway through, as a
      // crashed origin would.
      res.writeHead(200, { "Content-Type": "video/webm", "Content-Length": clip.length });
      if (req.method === "HEAD") res.end();
      else trickle(res, clip, url.pathname === "/cut.webm" ? clip.length / 2 : clip.length);
      return;
    case "/page.html":
      res.writeHead(200, {
        "Content-Type": "text/html; charset=utf-8",
        "X-Origin-Secret": "internal-build-42",
      });
      res.end(req.method === "HEAD" ? undefined : "<h1>internal dashboard</h1>");
      return;
    case "/big.mp4":
      res.writeHead(200, {
        "Content-Type": "video/mp4",
        "Content-Length": bigBytes,
        "Accept-Ranges": "bytes",
      });
      if (req.method === "HEAD") res.end();
      else res.destroy();
      return;
    case "/away": {
      const to = url.searchParams.get("to") ?? "/";
      res.writeHead(302, { Location: to });
      res.end();
      return;
    }
    default:
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("no such file");
      return;
  }
}

/**
 * Starts a media origin: `/clip.mp4` (ranges, ETag), `/versioned.mp4` (an ETag the test changes),
 * `/no-head.mp4` and `/signed.mp4` (HEAD answers 405, 403), `/moving.mp4` (a redirect to where
 * the file is now, see `move` and `remove`), `/named` (Content-Disposition), `/whole.webm` (no
 * Range support), `/trickle.webm` and `/cut.webm` (no Range, slow; the second dies halfway),
 * `/page.html`, `/big.mp4` (claims `bigBytes`), `/hop/N` (N relative redirects to the clip) and
 * `/away?to=URL` (a redirect anywhere). It records every request it sees.
 */
export async function startMediaOrigin(options: MediaOriginOptions): Promise<MediaOrigin> {
  const clip = crypto.getRandomValues(new Uint8Array(options.clipBytes ?? 300_000));
  const hits: OriginHit[] = [];
  const state: OriginState = { clip, bigBytes: options.bigBytes ?? 10_000_000, version: '"v1"', place: 1 };
  const abortWaiters: ((path: string) => void)[] = [];
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.once("close", () => {
      if (!res.writableFinished) for (const notify of abortWaiters.splice(0)) notify(req.url ?? "");
    });
    const sni = "servername" in req.socket ? req.socket.servername : undefined;
    hits.push({
      method: req.method ?? "",
      path: req.url ?? "",
      host: req.headers.host,
      range: req.headers.range,
      sni: typeof sni === "string" ? sni : undefined,
    });
    route(req, res, state);
  };
  const server =
    options.tls === undefined ? http.createServer(handle) : https.createServer(options.tls, handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.address, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${options.tls === undefined ? "http" : "https"}://${options.address}:${port}`,
    port,
    clip,
    hits,
    nextAbort: () => new Promise<string>((resolve) => abortWaiters.push(resolve)),
    setVersion(etag) {
      state.version = etag;
    },
    move() {
      state.place = (state.place ?? 0) + 1;
    },
    remove() {
      state.place = undefined;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
