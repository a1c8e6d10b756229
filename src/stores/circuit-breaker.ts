import { StoreUnavailableError } from "../core/errors.ts";

export interface CircuitBreakerOptions {
  /** Longest a single call may take before it counts as a failure, in milliseconds. */
  readonly timeoutMs: number;
  /** How often the probe runs while the circuit is open, in milliseconds. */
  readonly probeIntervalMs: number;
  /** Asks the dependency whether it answers again; resolves when it does. */
  readonly probe: () => Promise<void>;
  /** Called once when the circuit opens, e.g. to drop a connection stuck on unanswered commands. */
  readonly onOpen: () => void;
  /** Told of every change: true when the dependency answers again, false when it stopped. */
  readonly onChange?: (up: boolean) => void;
}

/** Guards calls to a dependency that may stop answering (Redis). */
export interface CircuitBreaker {
  /**
   * Runs `work` within the timeout while the circuit is closed. While it is open, throws
   * `StoreUnavailableError` at once, without calling `work`: a dead dependency costs a request
   * nothing, not a timeout. A failure or a timeout opens the circuit and starts the probe.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Whether the dependency is believed to answer (the circuit is closed). */
  up(): boolean;
  /** Stops the probe; later calls fail at once. */
  close(): void;
}

/** Rejects with `StoreUnavailableError` when `work` has not settled within `timeoutMs`. */
function within<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError(`the shared store did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Builds a {@link CircuitBreaker}. Closed, every call runs (bounded by `timeoutMs`); open, every
 * call fails at once while a probe (one at a time, every `probeIntervalMs`, unref'd so it never
 * keeps the process alive) checks the dependency and closes the circuit when it answers.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  let open = false;
  let closed = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let probing = false;
  const unavailable = (cause?: unknown) =>
    new StoreUnavailableError("the shared store (Redis) does not answer", { cause });

  const probeOnce = async (): Promise<void> => {
    if (probing || closed) return;
    probing = true;
    try {
      await within(options.probe(), options.timeoutMs);
      if (closed) return;
      open = false;
      clearInterval(timer);
      timer = undefined;
      options.onChange?.(true);
    } catch {
      // Still down: a probe that hangs or fails drops its connection so the next one starts afresh.
      options.onOpen();
    } finally {
      probing = false;
    }
  };

  const trip = (): void => {
    if (open || closed) return;
    open = true;
    options.onOpen();
    options.onChange?.(false);
    timer = setInterval(() => void probeOnce(), options.probeIntervalMs);
    timer.unref?.();
  };

  return {
    async run(work) {
      if (open || closed) throw unavailable();
      try {
        return await within(work(), options.timeoutMs);
      } catch (error) {
        trip();
        throw error instanceof StoreUnavailableError ? error : unavailable(error);
      }
    },
    up: () => !open && !closed,
    close() {
      closed = true;
      clearInterval(timer);
      timer = undefined;
    },
  };
}
