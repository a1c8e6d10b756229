import { createHash } from "node:crypto";
import { type Cache, useResponseCache } from "@graphql-yoga/plugin-response-cache";
import type { ExecutionResult } from "graphql";
import type { GraphQLParams, Plugin } from "graphql-yoga";
import { setNewest } from "../core/bounded-map.ts";
import type { Clock } from "../core/ports.ts";
import type { VideoService } from "../core/video-service.ts";
import type { Client } from "../limits/client-identity.ts";
import type { RateBucket, RateLimiter } from "../limits/rate-limiter.ts";

/** One draw on the client's rate limits that an operation made while it ran. */
type Charge = readonly [bucket: RateBucket, cost: number];

/** What one execution drew on the limits, and until when the metadata it read stays fresh. */
interface Execution {
  readonly charges: Charge[];
  freshUntil: number;
}

/** A stored answer: the result, its body serialised once, and the draws each hit repeats. */
interface Entry {
  readonly result: ExecutionResult;
  readonly charges: readonly Charge[];
  readonly until: number;
}

export interface ResponseCacheOptions {
  readonly clock: Clock;
  /** Answers held at most; the least recently used goes first. */
  readonly maxEntries: number;
  /** The metadata cache's TTL, in milliseconds: no answer is held longer. */
  readonly ttlMs: number;
  readonly limiter: RateLimiter;
}

/** The response cache of `/graphql`: its yoga plugins, and what an execution uses so it is noted. */
export interface ResponseCache {
  /** The rate-limited lookup, then yoga's response-cache plugin, which stores answers. */
  readonly plugins: readonly Plugin[];
  /**
   * The video service and limiter for the execution of `request`'s operation, noting what it
   * draws on the limits (a hit draws the same) and how fresh the metadata it reads is.
   */
  forExecution(
    request: Request,
    videos: VideoService,
  ): { readonly videos: VideoService; readonly limiter: RateLimiter };
}

/** Types whose answers are not cached: lists' pages carry signed cursors and their own cache's age. */
const UNCACHED_TYPES = ["Playlist", "ChannelPage"];

/** The key of an operation: its document, operation name and variables (hashed: bodies are long). */
function keyOf(query: string, operationName: string | null | undefined, variables: unknown): string {
  return createHash("sha256")
    .update(`${operationName ?? ""}\n${JSON.stringify(variables ?? null)}\n${query}`)
    .digest("base64url");
}

/** The answer as yoga writes it, once: without `extensions.http`, which become the headers. */
function serialised(result: ExecutionResult): string {
  const { http: _http, ...extensions } = result.extensions ?? {};
  return JSON.stringify({
    ...result,
    extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
  });
}

/**
 * Takes out the `ETag` and `Last-Modified` yoga's plugin gives an answer it stores, for its own
 * `If-None-Match` answer (304), which is left out here: it would skip the rate limits. Without it
 * they promise what no request gets. The result is the one being written too, so neither the
 * answer that fills the cache nor a hit carries them.
 */
function dropValidators(result: ExecutionResult): void {
  const extensions = result.extensions as { http?: { headers?: Record<string, string> } } | undefined;
  const headers = extensions?.http?.headers;
  if (extensions === undefined || headers === undefined) return;
  delete headers.ETag;
  delete headers["Last-Modified"];
  if (Object.keys(headers).length > 0) return;
  delete extensions.http?.headers;
  if (Object.keys(extensions.http ?? {}).length === 0) delete extensions.http;
  if (Object.keys(extensions).length === 0) delete (result as { extensions?: unknown }).extensions;
}

/**
 * The answers of queries, held in this process for as long as the metadata they were built from
 * (`VideoService.heldUntil`, at most `ttlMs`), keyed by document, operation name and variables.
 *
 * Query answers are the same through every egress: queries read metadata only, which is shared
 * between egresses, and carry no media URL (those are bound to an egress, and only a download
 * uses them); mutations (tickets, per call) are never stored, nor are answers with errors.
 *
 * A hit is served before the document is parsed, but not before the rate limits: each stored
 * answer remembers what its execution drew on the client's limits (`metadata` per video), and a
 * hit draws the same, so a client over its limit gets its 429 for a cached answer too. That is
 * also why yoga's own lookups are left to miss (`get`): its `If-None-Match` answer (304) would
 * skip the limits.
 */
export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const { clock, limiter } = options;
  const entries = new Map<string, Entry>();
  const keys = new WeakMap<Request, string>();
  const executions = new WeakMap<Request, Execution>();
  // `onTtl` runs right before `shouldCacheResult` and `set` for the same answer: what it learned.
  let noted: { readonly key: string; readonly charges: readonly Charge[]; readonly ttl: number } | undefined;

  const lookup = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    entries.delete(key);
    if (entry.until <= clock()) return undefined;
    entries.set(key, entry); // most recently used last
    return entry;
  };

  const store: Cache = {
    get: () => undefined,
    set(key, result, _entities, ttlMs) {
      const charges = noted?.key === key ? noted.charges : undefined;
      noted = undefined;
      if (charges === undefined) return;
      dropValidators(result);
      const json = serialised(result);
      // yoga writes a result with its own `stringify`: a hit's body costs nothing.
      const served = { ...result, stringify: () => json };
      setNewest(entries, key, { result: served, charges, until: clock() + ttlMs }, options.maxEntries);
    },
    // Mutations mint tickets; none changes what a query answers.
    invalidate: () => {},
  };

  const rateLimitedHits: Plugin = {
    onParams({ params, request, context, setResult }) {
      const { query, operationName, variables } = params as GraphQLParams;
      if (query === undefined) return;
      const key = keyOf(query, operationName, variables);
      keys.set(request, key);
      const entry = lookup(key);
      if (entry === undefined) return;
      const { client } = context as unknown as { client: Client };
      if (entry.charges.length === 0) return setResult(entry.result);
      return (async () => {
        for (const [bucket, cost] of entry.charges) await limiter.take(bucket, client.id, cost);
        setResult(entry.result);
      })();
    },
  };

  const storing = useResponseCache({
    session: () => null,
    cache: store,
    ttl: options.ttlMs,
    ignoredTypes: UNCACHED_TYPES,
    includeExtensionMetadata: false,
    buildResponseCacheKey: ({ request, documentString, operationName, variableValues }) =>
      keys.get(request) ?? keyOf(documentString, operationName, variableValues),
    onTtl({ ttl, context }) {
      // yoga's context, which holds the request the execution's notes are kept by.
      const { request } = context as { request: Request };
      const key = keys.get(request);
      const execution = executions.get(request);
      if (key === undefined || execution === undefined) return 0;
      const held = Math.max(0, Math.min(ttl, execution.freshUntil - clock()));
      noted = { key, charges: execution.charges, ttl: held };
      return held;
    },
    // Answers with errors are not stored; nor is one whose metadata is not held (its TTL 0), and
    // saying so here keeps yoga's plugin from marking it as stored.
    shouldCacheResult: ({ cacheKey, result }) =>
      !result.errors?.length && noted?.key === cacheKey && noted.ttl > 0,
  });

  return {
    plugins: [rateLimitedHits, storing],
    forExecution(request, videos) {
      const execution: Execution = { charges: [], freshUntil: Number.POSITIVE_INFINITY };
      executions.set(request, execution);
      return {
        videos: {
          ...videos,
          async getInfo(ref, infoOptions) {
            const info = await videos.getInfo(ref, infoOptions);
            // Unknown freshness: not cached (0).
            execution.freshUntil = Math.min(execution.freshUntil, videos.heldUntil(info) ?? 0);
            return info;
          },
        },
        limiter: {
          take(bucket, client, cost = 1) {
            execution.charges.push([bucket, cost]);
            return limiter.take(bucket, client, cost);
          },
        },
      };
    },
  };
}
