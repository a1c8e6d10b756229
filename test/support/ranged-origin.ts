import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** One ranged request the origin saw. */
export interface RangeHit {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

/** What the origin does to the request for the range starting at a given byte. */
export type RangeFault =
  /** Sends half the range, then drops the connection (the client keeps that half). */
  | "cut"
  /** Refuses the URL (as googlevideo refuses an expired one). */
  | "refuse";

export interface RangedOriginOptions {
  /** Size of the file, in bytes (random content). */
  readonly bytes: number;
  /** Each answer waits this long before its headers (a real origin's first byte). @default 0 */
  readonly firstByteDelayMs?: number;
  /** Sends each body in pieces of this size, one per timer tick (a paced connection). @default whole */
  readonly paceBytes?: number;
}

/**
 * A media origin on 127.0.0.1 that answers `GET /file` and `GET /fresh/file` (the same bytes, a
 * refreshed URL) with exactly the asked `Range` (206), and lets a test see every request, how many
 * are open at once, which ones the client abandoned, and make chosen ranges fail.
 */
export interface RangedOrigin {
  readonly url: string;
  readonly file: Buffer;
  readonly sha256: string;
  readonly hits: RangeHit[];
  /**
   * Requests whose body the origin has not finished writing yet (a body is done once its last byte
   * is handed to the socket: the client cannot ask its next request before that).
   */
  readonly open: number;
  /** The most requests open at once so far. */
  readonly maxOpen: number;
  /** Requests the client abandoned before their body was complete. */
  readonly abandoned: number;
  /** Faults for the next requests of a range (by its last byte, so a retry meets them too), in order. */
  fail(end: number, ...faults: RangeFault[]): void;
  /** Resolves once `check` holds (checked after every change). */
  until(check: (origin: RangedOrigin) => boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a {@link RangedOrigin}. */
export async function startRangedOrigin(options: RangedOriginOptions): Promise<RangedOrigin> {
  const file = Buffer.from(crypto.getRandomValues(new Uint8Array(options.bytes)));
  const hits: RangeHit[] = [];
  const faults = new Map<number, RangeFault[]>();
  const waiters = new Set<() => void>();
  let open = 0;
  let maxOpen = 0;
  let abandoned = 0;
  const changed = () => {
    for (const waiter of [...waiters]) waiter();
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://origin.invalid");
    const match = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
    if (!["/file", "/fresh/file"].includes(url.pathname) || match === null) {
      res.writeHead(400).end("a ranged GET of /file is all this origin answers");
      return;
    }
    const start = Number(match[1]);
    const end = Math.min(Number(match[2]), file.length - 1);
    hits.push({ path: url.pathname, start, end });
    const fault = faults.get(end)?.shift();
    open++;
    maxOpen = Math.max(maxOpen, open);
    let done = false;
    const close = (wasAbandoned: boolean) => {
      if (done) return;
      done = true;
      open--;
      if (wasAbandoned) abandoned++;
      changed();
    };
    res.on("close", () => close(fault === undefined));
    changed();

    const answer = () => {
      if (res.destroyed) return;
      if (fault === "refuse") {
        close(false);
        return void res.writeHead(403).end();
      }
      res.writeHead(206, {
        "Content-Type": "video/mp4",
        "Content-Range": `bytes ${start}-${end}/${file.length}`,
        "Content-Length": end - start + 1,
      });
      const stopAt = fault === "cut" ? start + Math.floor((end - start + 1) / 2) : end + 1;
      const piece = options.paceBytes ?? file.length;
      const send = (from: number) => {
        if (res.destroyed) return;
        const to = Math.min(from + piece, stopAt);
        if (to < stopAt) return void res.write(file.subarray(from, to), () => setTimeout(() => send(to), 0));
        close(false);
        // Cut once the half is on its way, so the client has it before it sees the connection drop.
        if (fault === "cut") res.write(file.subarray(from, to), () => setTimeout(() => res.destroy(), 20));
        else res.end(file.subarray(from, to));
      };
      send(start);
    };
    const delay = options.firstByteDelayMs ?? 0;
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const origin: RangedOrigin = {
    url: `http://127.0.0.1:${port}/file`,
    file,
    sha256: createHash("sha256").update(file).digest("hex"),
    hits,
    get open() {
      return open;
    },
    get maxOpen() {
      return maxOpen;
    },
    get abandoned() {
      return abandoned;
    },
    fail(end, ...more) {
      faults.set(end, [...(faults.get(end) ?? []), ...more]);
    },
    until(check) {
      return new Promise<void>((resolve) => {
        const waiter = () => {
          if (!check(origin)) return;
          waiters.delete(waiter);
          resolve();
        };
        waiters.add(waiter);
        waiter();
      });
    },
    stop() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return origin;
}
