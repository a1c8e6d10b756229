/**
 * How strict the simulated YouTube is with a server, on switches that default to the easy mode
 * the other tests rely on. Strict, it behaves as YouTube does with a data-centre address:
 * - bot check: player answers (watch page, `/youtubei/v1/player`) are `LOGIN_REQUIRED` "Sign in to
 *   confirm you’re not a bot" unless the request carries a signed-in cookie (`SID`,
 *   `__Secure-1PSID`, `__Secure-3PSID`) or a genuine PO token in
 *   `serviceIntegrityDimensions.poToken` bound to its `context.client.visitorData` or video id;
 * - PO tokens: media without a genuine `pot` (minted by this simulator, for any binding: the
 *   media servers do not know the visitor) is served for its first bytes only, then 403;
 * - address binding: media URLs carry `ip=` (the address that asked for the player answer) and
 *   answer 403 to any other address.
 * Genuine PO tokens are the ones {@link StrictYouTube.mintPoToken} makes (the provider double's).
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Json } from "./player-response.ts";

/** The switches; each off by default. Mutable: a test may turn one on mid-way. */
export interface StrictModes {
  /** Bot checks for every address (`true`) or only the listed ones (flagged addresses). */
  botCheck?: boolean | readonly string[];
  /** Media needs a genuine `pot` past its first {@link StrictModes.freeBytes}. */
  poToken?: boolean;
  /** Bytes of a media file served without a genuine `pot` in PO-token mode. @default 65536 */
  freeBytes?: number;
  /** Media URLs are bound to the address that extracted them. */
  bindAddress?: boolean;
}

/** YouTube's own words, typographic apostrophe included. */
export const BOT_CHECK_REASON = "Sign in to confirm you’re not a bot";

const SIGNED_IN = /(?:^|;\s*)(?:SID|__Secure-1PSID|__Secure-3PSID)=[^;\s]+/;

type PlayerBody = {
  videoId?: unknown;
  context?: { client?: { visitorData?: unknown } };
  serviceIntegrityDimensions?: { poToken?: unknown };
};

/** What one request showed YouTube. */
export interface Requester {
  /** The connecting address, as the server saw it. */
  address: string | undefined;
  cookie: string | null;
  /** The `/player` body, when the request is one. */
  body?: PlayerBody | undefined;
}

export interface StrictYouTube {
  readonly modes: StrictModes;
  /** A genuine PO token for `binding` (a visitor data or a video id). */
  mintPoToken(binding: string): string;
  /** The answer a bot check gives, or undefined when `requester` passes (or checks are off). */
  botCheck(videoId: string, requester: Requester): { [key: string]: Json } | undefined;
  /** The `ip=` to write into media URLs for `requester`, or undefined when binding is off. */
  boundAddress(requester: Requester): string | undefined;
  /** Why googlevideo refuses this media request, or undefined. */
  mediaRefusal(query: URLSearchParams, end: number, address: string | undefined): string | undefined;
}

function flagged(modes: StrictModes, address: string | undefined): boolean {
  const check = modes.botCheck ?? false;
  if (typeof check === "boolean") return check;
  return address !== undefined && check.includes(address);
}

const signature = (secret: string | Uint8Array, binding: string) =>
  createHmac("sha256", secret).update(binding).digest("base64url");

/**
 * A genuine PO token for `binding` of a simulated YouTube whose token secret is `secret`: the
 * binding and its signature, so the simulator can tell what a token was minted for.
 */
export function mintPoToken(secret: string | Uint8Array, binding: string): string {
  return `${Buffer.from(binding).toString("base64url")}.${signature(secret, binding)}`;
}

/** What a genuine token of `secret` was minted for, or undefined for anything else. */
function bindingOf(secret: string | Uint8Array, token: unknown): string | undefined {
  if (typeof token !== "string") return undefined;
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const binding = Buffer.from(token.slice(0, dot), "base64url").toString();
  return token.slice(dot + 1) === signature(secret, binding) ? binding : undefined;
}

/**
 * The strictness of one simulated YouTube, with its own secret for PO tokens (random unless a
 * test that needs a token before the simulator starts gives one).
 */
export function createStrictYouTube(
  modes: StrictModes = {},
  secret: string | Uint8Array = randomBytes(32),
): StrictYouTube {
  const mint = (binding: string) => mintPoToken(secret, binding);
  const genuineFor = (token: unknown, binding: unknown) =>
    typeof binding === "string" && binding !== "" && bindingOf(secret, token) === binding;

  return {
    modes,
    mintPoToken: mint,
    botCheck(videoId, requester) {
      if (!flagged(modes, requester.address)) return undefined;
      if (requester.cookie !== null && SIGNED_IN.test(requester.cookie)) return undefined;
      const token = requester.body?.serviceIntegrityDimensions?.poToken;
      const visitorData = requester.body?.context?.client?.visitorData;
      if (genuineFor(token, visitorData) || genuineFor(token, videoId)) return undefined;
      return {
        responseContext: {},
        playabilityStatus: {
          status: "LOGIN_REQUIRED",
          reason: BOT_CHECK_REASON,
          messages: [BOT_CHECK_REASON],
          errorScreen: { playerErrorMessageRenderer: { reason: { simpleText: BOT_CHECK_REASON } } },
        },
      };
    },
    boundAddress: (requester) => (modes.bindAddress ? (requester.address ?? "unknown") : undefined),
    mediaRefusal(query, end, address) {
      if (modes.bindAddress && query.get("ip") !== address) return "ip mismatch";
      if (!modes.poToken || end < (modes.freeBytes ?? 65_536)) return undefined;
      return bindingOf(secret, query.get("pot")) === undefined ? "pot required" : undefined;
    },
  };
}
