import { readFileSync } from "node:fs";
import { z } from "zod";
import { CookiesFileError, parseNetscapeCookies } from "../core/netscape-cookies.ts";
import { emptyAsUndefined, optionalHttpUrl, parsedList } from "./schema-parts.ts";

/** What a PO token or visitor data may hold: base64url-ish text, safe in a URL query and JSON. */
const TOKEN_TEXT = /^[A-Za-z0-9_\-=+/%.]{1,4096}$/;

const tokenText = (what: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .regex(TOKEN_TEXT, `expected the ${what} as YouTube writes it (letters, digits, - _ = + / % .)`)
      .optional(),
  );

/**
 * One egress proxy: its URL and its id for metrics, `/readyz` and cached metadata: the name given
 * (`name=http://…`), else `host:port` (never credentials). A name keeps the choice of egress per
 * video stable when a proxy moves.
 */
export interface EgressProxy {
  readonly id: string;
  /** `http://[user:pass@]host:port`, as Bun's fetch takes it. */
  readonly url: string;
}

function egressProxy(entry: string): EgressProxy | undefined {
  const named = /^([A-Za-z0-9._-]{1,64})=(.+)$/.exec(entry);
  const href = named?.[2] ?? entry;
  if (!URL.canParse(href)) return undefined;
  const url = new URL(href);
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") return undefined;
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "") return undefined;
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return { id: named?.[1] ?? `${url.hostname}:${port}`, url: url.href.replace(/\/$/, "") };
}

/** Why a cookies file cannot be used, or undefined when it parses (read once, at start-up). */
function cookiesFileProblem(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`;
  }
  try {
    parseNetscapeCookies(text);
    return undefined;
  } catch (error) {
    if (error instanceof CookiesFileError)
      return `${path} is not a Netscape cookies.txt file: ${error.message}`;
    throw error;
  }
}

/**
 * What keeps YouTube answering a server: a cookies file, a PO token (static, or from a
 * bgutil-compatible provider) and egress proxies. See the README's "Keeping YouTube working".
 */
export const youtubeAccessSettings = z
  .object({
    DOWNTUBE_YOUTUBE_COOKIES_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
    DOWNTUBE_YOUTUBE_PO_TOKEN: tokenText("PO token"),
    DOWNTUBE_YOUTUBE_VISITOR_DATA: tokenText("visitor data"),
    DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER: optionalHttpUrl,
    DOWNTUBE_EGRESS_PROXIES: parsedList(
      egressProxy,
      "an http:// or https:// proxy URL (scheme, host, port), optionally named: name=http://host:port",
    ),
  })
  .superRefine((env, context) => {
    const problem = (path: string, message: string) =>
      context.addIssue({ code: "custom", path: [path], message });
    const file = env.DOWNTUBE_YOUTUBE_COOKIES_FILE;
    const fileProblem = file === undefined ? undefined : cookiesFileProblem(file);
    if (fileProblem !== undefined) problem("DOWNTUBE_YOUTUBE_COOKIES_FILE", fileProblem);
    if (env.DOWNTUBE_YOUTUBE_PO_TOKEN !== undefined && env.DOWNTUBE_YOUTUBE_VISITOR_DATA === undefined) {
      problem("DOWNTUBE_YOUTUBE_PO_TOKEN", "needs DOWNTUBE_YOUTUBE_VISITOR_DATA: a PO token is bound to it");
    }
    if (env.DOWNTUBE_YOUTUBE_PO_TOKEN !== undefined && env.DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER !== undefined) {
      problem("DOWNTUBE_YOUTUBE_PO_TOKEN", "set this or DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER, not both");
    }
    const ids = env.DOWNTUBE_EGRESS_PROXIES.map((proxy) => proxy.id);
    if (new Set(ids).size !== ids.length) problem("DOWNTUBE_EGRESS_PROXIES", "names the same proxy twice");
  })
  .transform((env) => ({
    /** A Netscape cookies.txt whose YouTube cookies go with every metadata request (re-read on change). */
    cookiesFile: env.DOWNTUBE_YOUTUBE_COOKIES_FILE,
    /** A fixed PO token. */
    poToken: env.DOWNTUBE_YOUTUBE_PO_TOKEN,
    /** The visitor data a PO token is bound to (the static one's, or the provider's binding). */
    visitorData: env.DOWNTUBE_YOUTUBE_VISITOR_DATA,
    /** Base URL of a bgutil-compatible PO-token provider (`POST /get_pot`). */
    poTokenProvider: env.DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER,
    /** Proxies every YouTube request leaves through; empty: this instance's own address. */
    egressProxies: env.DOWNTUBE_EGRESS_PROXIES as readonly EgressProxy[],
  }));
