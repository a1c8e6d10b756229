import { readFileSync } from "node:fs";

/**
 * The DNS servers of `/etc/resolv.conf` in nginx's `resolver` syntax (IPv6 in brackets), for
 * origin host names (googlevideo's); `127.0.0.1` when it names none.
 */
export function systemResolver(path = "/etc/resolv.conf"): string {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return "127.0.0.1"; // no resolv.conf: names do not resolve, IP addresses still work
  }
  const servers = text
    .split("\n")
    .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1])
    .filter((server): server is string => server !== undefined)
    .map((server) => (server.includes(":") ? `[${server.replace(/%.*$/, "")}]` : server));
  return servers.length === 0 ? "127.0.0.1" : servers.join(" ");
}
