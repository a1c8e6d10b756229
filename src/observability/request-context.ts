import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "../core/logger.ts";

/** What every log line of one request carries. */
interface RequestContext {
  readonly requestId: string;
}

const current = new AsyncLocalStorage<RequestContext>();

/** Runs `work` as part of the request `requestId`: everything it logs names that request. */
export function withRequestContext<T>(requestId: string, work: () => T): T {
  return current.run({ requestId }, work);
}

/** A logger that adds the current request's id to every line logged during a request. */
export function requestAwareLogger(log: Logger): Logger {
  const withId = (fields: Record<string, unknown> = {}) => {
    const context = current.getStore();
    return context === undefined ? fields : { requestId: context.requestId, ...fields };
  };
  return {
    info: (message, fields) => log.info(message, withId(fields)),
    warn: (message, fields) => log.warn(message, withId(fields)),
    error: (message, fields) => log.error(message, withId(fields)),
  };
}

const VALID_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The client's `X-Request-Id` when it is a sane one, otherwise a fresh one. */
export function requestIdFrom(header: string | undefined, fresh: () => string): string {
  return header !== undefined && VALID_ID.test(header) ? header : fresh();
}
