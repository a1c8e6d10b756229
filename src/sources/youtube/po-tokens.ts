import { describeError, type Logger } from "../../core/logger.ts";
import type { Clock } from "../../core/ports.ts";
import { untilAborted } from "../until-aborted.ts";
import type { Egress } from "./egress-pool.ts";

/** A proof-of-origin token and the visitor data it goes with. */
export interface PoToken {
  readonly token: string;
  /** Sent as `context.client.visitorData` with the token; undefined: the extractor's own. */
  readonly visitorData: string | undefined;
}

/** Where an extraction's PO token comes from. */
export interface PoTokens {
  /**
   * The token for an extraction of `videoId` through `egress`, or undefined when there is none
   * (a provider that is down, slow or wrong: a warning and a metric, never an error). Rejects only
   * with `signal`'s reason.
   */
  tokenFor(videoId: string, egress: Egress, signal: AbortSignal): Promise<PoToken | undefined>;
  /** `up`/`down` for a provider (its last answer), undefined without one. */
  health(): "up" | "down" | undefined;
}

/** A fixed token (`DOWNTUBE_YOUTUBE_PO_TOKEN` with `DOWNTUBE_YOUTUBE_VISITOR_DATA`). */
export function createStaticPoTokens(token: string, visitorData: string): PoTokens {
  const fixed = { token, visitorData };
  return { tokenFor: async () => fixed, health: () => undefined };
}

/** How a provider request ended, as counted. */
export type PoTokenOutcome = "ok" | "failed" | "skipped";

export interface PoTokenProviderOptions {
  /** Base URL of a bgutil-compatible provider. */
  readonly url: URL;
  /** The visitor data every token is bound to (`content_binding`) and sent with. */
  readonly visitorData: string;
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  readonly clock: Clock;
  /** How long one provider request may take, in milliseconds. */
  readonly timeoutMs: number;
  /** After a failure, how long the provider is not asked again, in milliseconds. */
  readonly retryMs: number;
  readonly log: Logger;
  readonly onOutcome?: (outcome: PoTokenOutcome) => void;
}

/** A token is used until this long before the provider says it expires. */
const EXPIRY_MARGIN_MS = 60_000;
/** A token whose expiry the provider did not say is kept this long. */
const DEFAULT_LIFETIME_MS = 30 * 60_000;
// Printable ASCII without spaces: it goes into a JSON body and, percent-encoded, a URL query.
const TOKEN_TEXT = /^[!-~]{1,8192}$/;

class ProviderAnswerError extends Error {}

function expiryOf(value: unknown, now: number): number {
  const at = typeof value === "string" ? Date.parse(value) : typeof value === "number" ? value : Number.NaN;
  if (!Number.isFinite(at)) return now + DEFAULT_LIFETIME_MS;
  // Seconds or milliseconds since the epoch, whichever the provider wrote.
  return at < 1e12 ? at * 1000 : at;
}

/**
 * Tokens from a bgutil-compatible provider (`POST /get_pot` with `content_binding` and, for a
 * proxy egress, `proxy`; answered `{ poToken, contentBinding, expiresAt }`). Each token is kept
 * until shortly before `expiresAt`; concurrent extractions that need the same one share a single
 * request. A provider that fails, is slow or answers something else is not asked again for
 * `retryMs`, and extractions meanwhile run without a token.
 */
export function createPoTokenProvider(options: PoTokenProviderOptions): PoTokens {
  const { clock, log } = options;
  const endpoint = new URL("get_pot", options.url.href.endsWith("/") ? options.url : `${options.url.href}/`);
  const cache = new Map<string, { token: PoToken; until: number }>();
  const inFlight = new Map<string, Promise<PoToken | undefined>>();
  let downUntil = 0;
  let lastHealth: "up" | "down" | undefined;

  const ask = async (binding: string, egress: Egress, signal: AbortSignal): Promise<PoToken> => {
    const response = await options.fetch(endpoint.href, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        content_binding: binding,
        ...(egress.proxy === undefined ? {} : { proxy: egress.proxy }),
      }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new ProviderAnswerError(`the provider answered HTTP ${response.status}`);
    }
    const body = (await response.json()) as {
      poToken?: unknown;
      contentBinding?: unknown;
      expiresAt?: unknown;
    };
    if (typeof body.poToken !== "string" || !TOKEN_TEXT.test(body.poToken)) {
      throw new ProviderAnswerError("the provider's answer has no usable poToken");
    }
    if (body.contentBinding !== undefined && body.contentBinding !== binding) {
      throw new ProviderAnswerError("the provider bound the token to something else than was asked");
    }
    const until = expiryOf(body.expiresAt, clock()) - EXPIRY_MARGIN_MS;
    if (until <= clock()) throw new ProviderAnswerError("the provider's token is already expired");
    const token = { token: body.poToken, visitorData: options.visitorData };
    cache.set(`${binding}\n${egress.id}`, { token, until });
    return token;
  };

  const fetchToken = async (binding: string, egress: Egress, signal: AbortSignal) => {
    try {
      const token = await ask(binding, egress, signal);
      if (lastHealth === "down") log.info("the PO-token provider answers again");
      lastHealth = "up";
      options.onOutcome?.("ok");
      return token;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      downUntil = clock() + options.retryMs;
      lastHealth = "down";
      options.onOutcome?.("failed");
      log.warn("no PO token: the provider did not give one; extracting without it", {
        egress: egress.id,
        retryInMs: options.retryMs,
        ...(error instanceof ProviderAnswerError ? { problem: error.message } : describeError(error)),
      });
      return undefined;
    }
  };

  return {
    health: () => lastHealth,
    async tokenFor(_videoId, egress, signal) {
      // Bound to the visitor, not the video: one token serves every video of an egress, and goes
      // with the same visitor data into player requests and (as pot=) onto the media URLs.
      const binding = options.visitorData;
      const key = `${binding}\n${egress.id}`;
      const cached = cache.get(key);
      if (cached !== undefined && cached.until > clock()) return cached.token;
      cache.delete(key);
      if (clock() < downUntil) {
        options.onOutcome?.("skipped");
        return undefined;
      }
      const running = inFlight.get(key);
      if (running !== undefined) return running;
      // Shared by every extraction that waits for it, so one caller going away does not end it.
      const started = fetchToken(binding, egress, new AbortController().signal).finally(() =>
        inFlight.delete(key),
      );
      inFlight.set(key, started);
      return untilAborted(started, signal);
    },
  };
}
