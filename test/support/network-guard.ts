/**
 * Test preload: no test may send a request beyond loopback. Every outgoing HTTP request made
 * through `fetch`, `node:http(s)` or a raw `node:net`/`node:tls` connection is checked; one to any
 * other host throws at once and is recorded, and the run fails in a global `afterAll` listing them,
 * so a leak cannot hide behind a swallowed error (ytdl-core swallows some).
 */
import { afterAll } from "bun:test";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import { isLoopbackHost, networkViolations, recordViolation } from "./loopback.ts";

function hostOf(input: unknown): string | undefined {
  if (typeof input === "string") {
    try {
      return new URL(input).hostname;
    } catch {
      return undefined; // not a URL: a path or a host name
    }
  }
  if (input instanceof URL) return input.hostname;
  if (input instanceof Request) return new URL(input.url).hostname;
  if (input && typeof input === "object") {
    const o = input as { hostname?: unknown; host?: unknown; path?: unknown };
    if (typeof o.hostname === "string") return o.hostname;
    if (typeof o.host === "string") return o.host.replace(/:\d+$/, "");
    if (typeof o.path === "string") return "localhost"; // unix socket
  }
  return undefined;
}

function check(kind: string, input: unknown): void {
  const host = hostOf(input);
  if (host === undefined || isLoopbackHost(host)) return;
  const message = `network guard: a test tried to reach ${host} through ${kind}; tests stay on 127.0.0.1`;
  recordViolation(message);
  throw new Error(message);
}

const realFetch = globalThis.fetch;
const guardedFetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  check("fetch", input);
  return realFetch(input, init);
};
globalThis.fetch = Object.assign(guardedFetch, realFetch);

function wrap<T extends object, K extends keyof T>(target: T, key: K, kind: string): void {
  const original = target[key];
  if (typeof original !== "function") return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    check(kind, args[0]);
    return original.apply(this, args);
  };
  target[key] = wrapped as T[K];
}

wrap(http, "request", "node:http");
wrap(http, "get", "node:http");
wrap(https, "request", "node:https");
wrap(https, "get", "node:https");
wrap(net, "connect", "node:net");
wrap(net, "createConnection", "node:net");
wrap(tls, "connect", "node:tls");

afterAll(() => {
  const seen = networkViolations();
  if (seen.length > 0) {
    throw new Error(`requests left loopback during the tests:\n${seen.join("\n")}`);
  }
});
