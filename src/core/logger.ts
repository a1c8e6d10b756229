/** Structured logging port: one JSON object per line. Never pass tokens, secrets or API keys. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** How much a line matters; `info` lines may be written a little later than warnings. */
export type LogLevel = "info" | "warn" | "error";

/**
 * A `Logger` writing JSON lines through `write` (stdout in production, a buffer in tests), which
 * is told each line's level.
 */
export function createJsonLogger(
  write: (line: string, level: LogLevel) => void,
  clock: () => number,
): Logger {
  const log =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(
        `${JSON.stringify({ time: new Date(clock()).toISOString(), level, message, ...fields })}\n`,
        level,
      );
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
