/** Structured logging port: one JSON object per line. Never pass tokens, secrets or API keys. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A `Logger` writing JSON lines through `write` (stdout in production, a buffer in tests). */
export function createJsonLogger(write: (line: string) => void, clock: () => number): Logger {
  const log =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(`${JSON.stringify({ time: new Date(clock()).toISOString(), level, message, ...fields })}\n`);
  return { info: log("info"), warn: log("warn"), error: log("error") };
}

/** What to log of an unexpected error: name, message and stack, for operators only. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  return {
    error: { name: error.name, message: error.message, stack: error.stack },
    ...(error.cause === undefined ? {} : { cause: describeError(error.cause) }),
  };
}
