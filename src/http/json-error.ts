import { DowntubeError, type ErrorCode, MASKED_ERROR, operatorWarning } from "../core/errors.ts";
import { describeError, type Logger } from "../core/logger.ts";

/** `{"error":{"code","message"}}` with the given status: the body of every HTTP error. */
export function jsonError(
  status: number,
  code: ErrorCode,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return Response.json(
    { error: { code, message } },
    { status, headers: { "Cache-Control": "no-store", ...headers } },
  );
}

/**
 * The one place where an error becomes an HTTP response on the non-GraphQL routes: a
 * `DowntubeError` answers with its code and status; anything else is logged once and masked.
 */
export function errorResponse(error: unknown, log: Logger): Response {
  if (error instanceof DowntubeError) {
    const warning = operatorWarning(error);
    if (warning !== undefined) log.warn(warning, { code: error.code, ...describeError(error) });
    return jsonError(error.status, error.code, error.message, error.headers);
  }
  log.error("unexpected error on an HTTP route", describeError(error));
  return jsonError(500, MASKED_ERROR.code, MASKED_ERROR.message);
}
