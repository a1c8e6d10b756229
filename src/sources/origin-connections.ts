import { UpstreamTimeoutError } from "../core/errors.ts";

/** Gives a connection slot back; calling it again does nothing. */
export type ReleaseConnection = () => void;

/**
 * How many media requests the gateway has open to origins, per egress (the address they leave
 * from, named by its egress id), capped so that one busy instance never looks like a flood from
 * one address. Each ranged request holds one slot from the moment it is sent until its body has
 * been read or abandoned (over HTTP/1.1, one request in flight is one connection).
 */
export interface OriginConnections {
  /**
   * A slot for a request a download cannot do without (the next range it must deliver): waits,
   * first come first served, until one is free.
   * @throws UpstreamTimeoutError when none frees within `timeoutMs`; `signal.reason` when aborted.
   */
  acquire(egressId: string, signal: AbortSignal, timeoutMs: number): Promise<ReleaseConnection>;
  /**
   * A slot for an extra range read ahead, only if one is free now and nobody is waiting for one:
   * a download's parallel reads never hold back another download's next range.
   */
  tryAcquire(egressId: string): ReleaseConnection | undefined;
  /** Slots in use for `egressId` (metrics and tests). */
  inUse(egressId: string): number;
}

interface Egress {
  used: number;
  readonly waiting: (() => void)[];
}

/** An in-process {@link OriginConnections} with at most `maxPerEgress` slots per egress id. */
export function createOriginConnections(options: { readonly maxPerEgress: number }): OriginConnections {
  const egresses = new Map<string, Egress>();
  const egressOf = (id: string): Egress => {
    let egress = egresses.get(id);
    if (egress === undefined) {
      egress = { used: 0, waiting: [] };
      egresses.set(id, egress);
    }
    return egress;
  };

  const slot = (id: string, egress: Egress): ReleaseConnection => {
    egress.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      egress.used--;
      const next = egress.waiting.shift();
      if (next !== undefined) next();
      else if (egress.used === 0) egresses.delete(id);
    };
  };

  return {
    acquire(egressId, signal, timeoutMs) {
      const egress = egressOf(egressId);
      if (egress.used < options.maxPerEgress && egress.waiting.length === 0) {
        return Promise.resolve(slot(egressId, egress));
      }
      return new Promise<ReleaseConnection>((resolve, reject) => {
        const leave = () => {
          const at = egress.waiting.indexOf(turn);
          if (at >= 0) egress.waiting.splice(at, 1);
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
        };
        const turn = () => {
          leave();
          resolve(slot(egressId, egress));
        };
        const onAbort = () => {
          leave();
          reject(signal.reason);
        };
        const timer = setTimeout(() => {
          leave();
          reject(new UpstreamTimeoutError(`no connection to the origin was free within ${timeoutMs} ms`));
        }, timeoutMs);
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        egress.waiting.push(turn);
      });
    },

    tryAcquire(egressId) {
      const egress = egressOf(egressId);
      if (egress.used >= options.maxPerEgress || egress.waiting.length > 0) return undefined;
      return slot(egressId, egress);
    },

    inUse: (egressId) => egresses.get(egressId)?.used ?? 0,
  };
}
