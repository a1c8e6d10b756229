import type { Logger } from "../../core/logger.ts";
import type { Clock } from "../../core/ports.ts";
import { createCookieFile, type YouTubeCookies } from "./cookie-file.ts";
import { createEgressPool, type EgressPool } from "./egress-pool.ts";
import {
  createPoTokenProvider,
  createStaticPoTokens,
  type PoTokenOutcome,
  type PoTokens,
} from "./po-tokens.ts";
import { makeVisitorData } from "./visitor-data.ts";

export interface YouTubeAccessOptions {
  readonly cookiesFile: string | undefined;
  readonly poToken: string | undefined;
  readonly visitorData: string | undefined;
  readonly poTokenProvider: URL | undefined;
  /** Proxies, each an egress; empty: the instance's own address, named `egressId`. */
  readonly egressProxies: readonly { readonly id: string; readonly url: string }[];
  readonly egressId: string;
  /** The extraction budget, in milliseconds (a provider request gets a third of it). */
  readonly timeoutMs: number;
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  readonly clock: Clock;
  /** Randomness for a visitor data made at start-up (a provider without a configured one). */
  readonly randomId: () => string;
  readonly log: Logger;
  readonly onPoTokenRequest?: (outcome: PoTokenOutcome) => void;
}

/** What the YouTube source shows YouTube, and through which addresses. */
export interface YouTubeAccess {
  readonly egresses: EgressPool;
  readonly poTokens: PoTokens | undefined;
  readonly cookies: YouTubeCookies | undefined;
}

/** Challenges in a row that send an egress to rest, and how long it rests. */
const REST_AFTER_CHALLENGES = 3;
const REST_MS = 15 * 60_000;
/** After a provider failure, how long extractions go without asking it. */
const PROVIDER_RETRY_MS = 30_000;

/** Builds the egress pool, the PO-token source and the cookies from the settings. */
export function createYouTubeAccess(options: YouTubeAccessOptions): YouTubeAccess {
  const { clock, log } = options;
  const egresses = createEgressPool({
    egresses:
      options.egressProxies.length > 0
        ? options.egressProxies.map((proxy) => ({ id: proxy.id, proxy: proxy.url }))
        : [{ id: options.egressId, proxy: undefined }],
    clock,
    restAfter: REST_AFTER_CHALLENGES,
    restMs: REST_MS,
  });
  let poTokens: PoTokens | undefined;
  if (options.poToken !== undefined && options.visitorData !== undefined) {
    poTokens = createStaticPoTokens(options.poToken, options.visitorData);
  } else if (options.poTokenProvider !== undefined) {
    const visitorId = options
      .randomId()
      .replace(/[^A-Za-z0-9_-]/g, "")
      .slice(0, 11)
      .padEnd(11, "0");
    poTokens = createPoTokenProvider({
      url: options.poTokenProvider,
      visitorData: options.visitorData ?? makeVisitorData(visitorId, clock() / 1000),
      fetch: options.fetch,
      clock,
      timeoutMs: Math.max(1, Math.floor(options.timeoutMs / 3)),
      retryMs: PROVIDER_RETRY_MS,
      log,
      onOutcome: options.onPoTokenRequest,
    });
  }
  const cookies =
    options.cookiesFile === undefined
      ? undefined
      : createCookieFile({ path: options.cookiesFile, clock, log });
  // Counts and kinds only: proxy URLs may carry credentials, tokens and cookies are secrets.
  log.info("YouTube access", {
    egresses: egresses.all.map((egress) => egress.id),
    poToken: poTokens === undefined ? "none" : options.poToken !== undefined ? "static" : "provider",
    cookies: cookies !== undefined,
  });
  return { egresses, poTokens, cookies };
}
