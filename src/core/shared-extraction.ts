import { StoreUnavailableError } from "./errors.ts";
import type { WorkLock } from "./ports.ts";

export interface SharedExtractionOptions {
  /** The lock every instance shares; undefined: one instance, nothing to share. */
  readonly lock: WorkLock | undefined;
  /** How long a holder may keep the lock (a holder that died frees it after this), in ms. */
  readonly lockTtlMs: number;
  /** Longest an instance waits for another's result before extracting itself, in ms. */
  readonly maxWaitMs: number;
  /** How often a waiting instance looks for the result, in ms. */
  readonly pollMs: number;
  /** Resolves after `ms` milliseconds (injected, like the clock). */
  readonly sleep: (ms: number) => Promise<void>;
  readonly clock: () => number;
}

/**
 * Runs one piece of work once across instances: the instance that takes the lock (`lockKey`)
 * does `work`; the others look for its result (`lookup`, e.g. the shared cache) until it shows
 * up, the lock is gone (the holder failed) or `maxWaitMs` ran out, and then do `work` themselves
 * rather than hang. A lock that cannot be asked (Redis down) means working alone.
 */
export function createSharedExtraction(options: SharedExtractionOptions) {
  const isStoreDown = (error: unknown) => error instanceof StoreUnavailableError;

  const waitFor = async <T>(
    lockKey: string,
    lookup: () => Promise<T | undefined>,
  ): Promise<T | undefined> => {
    const lock = options.lock;
    if (lock === undefined) return undefined;
    const deadline = options.clock() + options.maxWaitMs;
    while (options.clock() < deadline) {
      await options.sleep(options.pollMs);
      const found = await lookup();
      if (found !== undefined) return found;
      if (!(await lock.isHeld(lockKey))) return lookup();
    }
    return undefined;
  };

  return {
    /**
     * `work`'s result, or the result another instance produced meanwhile (found by `lookup`).
     * Throws what `work` throws.
     */
    async once<T>(lockKey: string, lookup: () => Promise<T | undefined>, work: () => Promise<T>): Promise<T> {
      const lock = options.lock;
      if (lock === undefined) return work();
      const lease = await lock.tryAcquire(lockKey, options.lockTtlMs).catch((error: unknown) => {
        if (isStoreDown(error)) return null; // no lock to be had: work alone
        throw error;
      });
      if (lease === null) return work();
      if (lease !== undefined) {
        try {
          return await work();
        } finally {
          await lease.release();
        }
      }
      const theirs = await waitFor(lockKey, lookup).catch((error: unknown) => {
        if (isStoreDown(error)) return undefined;
        throw error;
      });
      return theirs ?? work();
    },
  };
}

export type SharedExtraction = ReturnType<typeof createSharedExtraction>;
