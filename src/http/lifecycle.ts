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
