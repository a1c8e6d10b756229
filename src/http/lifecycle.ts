import type { ServerResponse } from "node:http";

/**
 * Tracks the requests in flight and whether the gateway is draining (shutting down): readiness
 * turns false at once, requests already running are let finish.
 */
export function createLifecycle() {
  let draining = false;
  let active = 0;
  let idle: (() => void) | undefined;

  return {
    /** False once draining has started: load balancers stop sending new traffic. */
    ready: () => !draining,
    draining: () => draining,
    /** Requests (downloads included) not yet finished. */
    active: () => active,
    /** Counts a request until its response closes, finished or aborted. */
    track(res: ServerResponse): void {
      active += 1;
      res.once("close", () => {
        active -= 1;
        if (active === 0) idle?.();
      });
    },
    /** Starts draining; resolves when no request is in flight any more. */
    drain(): Promise<void> {
      draining = true;
      if (active === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        idle = resolve;
      });
    },
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;

/** What a stop signal asks for: start draining, nothing new (an echo of the last one), or stop at once. */
export type StopRequest = "drain" | "echo" | "now";

/**
 * Reads stop signals the way a person means them. Ctrl-C in a terminal signals the whole process
 * group, so a gateway under `npm start` or `npm run demo` gets SIGINT from the terminal and, a
 * moment later, the same request again from npm or the demo passing it on: any signal within
 * `echoMs` milliseconds of the first is that same request to drain. Only a signal after that,
 * a separate decision, stops at once.
 */
export function createStopSignals(clock: () => number, echoMs: number) {
  let firstAt: number | undefined;
  return (): StopRequest => {
    const now = clock();
    if (firstAt === undefined) {
      firstAt = now;
      return "drain";
    }
    return now - firstAt <= echoMs ? "echo" : "now";
  };
}
