import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";

/** A running HTTP forward proxy. */
export interface ForwardProxy {
  /** `http://127.0.0.x:PORT`, for `DOWNTUBE_EGRESS_PROXIES`. */
  readonly url: string;
  /** The address it listens on and connects out from. */
  readonly address: string;
  /** `host:port` of every request it carried (absolute-form or CONNECT), oldest first. */
  readonly carried: string[];
  /** The `Proxy-Authorization` header of each request that had one. */
  readonly authorizations: string[];
  stop(): Promise<void>;
}

/**
 * Starts a real HTTP forward proxy on `address` (a 127.0.0.x of this machine), port 0. It
 * carries absolute-form requests (`GET http://host/path`) and `CONNECT` tunnels, and connects
 * out from its own address, so the server at the other end sees which proxy connected.
 */
export async function startForwardProxy(address: string): Promise<ForwardProxy> {
  const carried: string[] = [];
  const authorizations: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const target = URL.canParse(req.url ?? "") ? new URL(req.url ?? "") : undefined;
    if (target === undefined || target.protocol !== "http:") {
      res.writeHead(400).end("absolute http:// URLs only");
      return;
    }
    carried.push(target.host);
    if (req.headers["proxy-authorization"] !== undefined)
      authorizations.push(req.headers["proxy-authorization"]);
    const headers = { ...req.headers };
    delete headers["proxy-connection"];
    delete headers["proxy-authorization"];
    const out = http.request(
      {
        host: target.hostname,
        port: target.port || 80,
        path: target.pathname + target.search,
        method: req.method,
        headers,
        localAddress: address,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    res.on("close", () => out.destroy());
    req.pipe(out);
  });
  server.on("connect", (req, client: net.Socket, head: Buffer) => {
    const [host = "", port = "443"] = (req.url ?? "").split(":");
    carried.push(`${host}:${port}`);
    const upstream = net.connect({ host, port: Number(port), localAddress: address }, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on("error", close);
    client.on("error", close);
  });
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    address,
    carried,
    authorizations,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
