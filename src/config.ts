import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { z } from "zod";
import { DEFAULT_EGRESS_ID } from "./core/video-service.ts";
import { type Cidr, parseCidr } from "./sources/http/ip-address.ts";
import { type HostRule, parseHostRule } from "./sources/http/url-policy.ts";

/**
 * Every environment variable downtube reads, in one zod schema. This is the only module that
 * looks at the environment: `server.ts` passes `process.env` in once at start-up.
 * The README's configuration table documents each entry with its default.
 */
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalUrl = z
  .url({ protocol: /^https?$/ })
  .optional()
  .transform((value) => (value === undefined ? undefined : new URL(value)));
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
/** The non-empty, trimmed items of a comma-separated list. */
const splitList = (list: string) =>
  list
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
/** An optional comma-separated list of secrets, each at least `minLength` characters. */
const commaList = (minLength: number, what: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform(splitList)
      .pipe(
        z
          .array(z.string().min(minLength, `each ${what} needs at least ${minLength} characters`))
          .min(1, `give at least one ${what}`),
      )
      .optional(),
  );

/** A comma-separated list, each entry parsed by `parse`; empty or unset is an empty list. */
const parsedList = <T>(parse: (entry: string) => T | undefined, what: string) =>
  z
    .string()
    .default("")
    .transform((list, context) => {
      const entries = list
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "");
      const parsed: T[] = [];
      for (const entry of entries) {
        const value = parse(entry);
        if (value === undefined) context.addIssue({ code: "custom", message: `not ${what}: ${entry}` });
        else parsed.push(value);
      }
      return parsed;
    });
/** The YouTube extractors `DOWNTUBE_YOUTUBE_EXTRACTORS` may name. */
export const EXTRACTOR_NAMES = ["ytdl", "youtubei"] as const;
export type ExtractorName = (typeof EXTRACTOR_NAMES)[number];

/** A comma list of extractor names, in fallback order: unknown or repeated names are refused. */
const extractorList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .default("ytdl,youtubei")
    .transform(splitList)
    .pipe(
      z
        .array(
          z.enum(EXTRACTOR_NAMES, {
            error: (issue) =>
              `unknown extractor ${JSON.stringify(issue.input)}: use ${EXTRACTOR_NAMES.join(" and/or ")}, comma-separated, in fallback order`,
          }),
        )
        .min(1, `name at least one extractor (${EXTRACTOR_NAMES.join(", ")})`)
        .refine((names) => new Set(names).size === names.length, "names an extractor twice"),
    ),
);

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z
      .union([z.ipv4(), z.ipv6(), z.literal("localhost")], {
        error: "must be an IP address of this machine (127.0.0.1, 0.0.0.0, ::) or localhost",
      })
      .default("127.0.0.1"),
    PORT: z
      .string()
      .regex(/^\d{1,5}$/, "must be a port number from 0 to 65535 (0: any free port)")
      .default("4000")
      .transform(Number)
      .pipe(z.number().max(65535, "must be a port number from 0 to 65535 (0: any free port)")),
    PUBLIC_URL: z.preprocess(emptyAsUndefined, optionalUrl),
    DOWNTUBE_TOKEN_SECRETS: commaList(32, "secret"),
    DOWNTUBE_TOKEN_TTL: seconds(3600),
    DOWNTUBE_TOKEN_MAX_TTL: seconds(6 * 3600),
    DOWNTUBE_YOUTUBE_ORIGIN: z.preprocess(emptyAsUndefined, optionalUrl),
    DOWNTUBE_YOUTUBE_EXTRACTORS: extractorList,
    DOWNTUBE_UPSTREAM_TIMEOUT_MS: count(15_000),
    DOWNTUBE_UPSTREAM_CHUNK_BYTES: count(10 * 1024 * 1024),
    DOWNTUBE_CACHE_TTL: seconds(600),
    DOWNTUBE_CACHE_MAX_ENTRIES: count(1000),
    DOWNTUBE_MAX_BATCH: count(20),
    DOWNTUBE_GRAPHQL_INTROSPECTION: z.enum(["true", "false"]).optional(),
    DOWNTUBE_GRAPHQL_MAX_DEPTH: count(8),
    DOWNTUBE_GRAPHQL_MAX_ALIASES: count(10),
    DOWNTUBE_GRAPHQL_MAX_COST: count(5000),
    DOWNTUBE_MAX_BODY_BYTES: count(64 * 1024),
    DOWNTUBE_API_KEYS: commaList(16, "API key"),
    DOWNTUBE_TRUST_PROXY: z.enum(["true", "false"]).default("false"),
    DOWNTUBE_TRUSTED_PROXY_HOPS: count(1),
    DOWNTUBE_RATE_LIMIT_WINDOW_S: seconds(60),
    DOWNTUBE_RATE_LIMIT_METADATA: count(120),
    DOWNTUBE_RATE_LIMIT_PREPARE: count(30),
    DOWNTUBE_RATE_LIMIT_DOWNLOAD: count(120),
    DOWNTUBE_MAX_STREAMS: count(64),
    DOWNTUBE_MAX_STREAMS_PER_CLIENT: count(4),
    DOWNTUBE_FFMPEG: z.string().min(1).default("ffmpeg"),
    // Each merge is an ffmpeg process copying streams: cheap, but not free.
    DOWNTUBE_MAX_MERGES: count(2 * availableParallelism()),
    DOWNTUBE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
    DOWNTUBE_HTTP_SOURCE_HOSTS: parsedList(parseHostRule, "a host, *.domain or host:port"),
    DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: parsedList(parseCidr, "an IP address or CIDR block"),
    DOWNTUBE_HTTP_SOURCE_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(3),
    DOWNTUBE_HTTP_SOURCE_MAX_BYTES: count(4 * 1024 ** 3),
    REDIS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^rediss?$/ }).optional()),
    DOWNTUBE_REDIS_TIMEOUT_MS: count(500),
    DOWNTUBE_REDIS_PROBE_MS: count(1000),
    DOWNTUBE_EGRESS_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, "use 1 to 64 letters, digits, dots, dashes or underscores")
      .default(DEFAULT_EGRESS_ID),
    DOWNTUBE_OFFLOAD: z.enum(["none", "nginx"]).default("none"),
    DOWNTUBE_NGINX: z.string().min(1).default("/usr/sbin/nginx"),
    DOWNTUBE_NGINX_RESOLVER: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  })
  .refine((env) => env.DOWNTUBE_TOKEN_TTL <= env.DOWNTUBE_TOKEN_MAX_TTL, {
    message: "DOWNTUBE_TOKEN_TTL must not exceed DOWNTUBE_TOKEN_MAX_TTL",
    path: ["DOWNTUBE_TOKEN_TTL"],
  })
  .refine((env) => env.NODE_ENV !== "production" || env.DOWNTUBE_TOKEN_SECRETS !== undefined, {
    message: "is required when NODE_ENV=production (tokens must survive restarts and agree across instances)",
    path: ["DOWNTUBE_TOKEN_SECRETS"],
  });

type Env = z.output<typeof envSchema>;

/** The gateway's settings, typed and checked. Durations are in the unit their name says. */
export interface Config {
  readonly env: Env["NODE_ENV"];
  readonly host: string;
  readonly port: number;
  /** Base for absolute download URLs; when undefined it is derived from each request. */
  readonly publicUrl: URL | undefined;
  readonly tokens: {
    /** Undefined: a random per-process secret is generated (never in production). */
    readonly secrets: readonly string[] | undefined;
    readonly ttlSeconds: number;
    readonly maxTtlSeconds: number;
  };
  readonly youtube: {
    /** Where every YouTube request goes instead of the real hosts (tests, offline demo). */
    readonly origin: URL | undefined;
    /** Extractors to try, in order: the next one runs only when the one before failed. */
    readonly extractors: readonly ExtractorName[];
    /** Budget of one extraction, and of each media request until its headers arrive. */
    readonly timeoutMs: number;
    /** Largest range asked of the origin in one media request. */
    readonly chunkBytes: number;
  };
  readonly cache: { readonly ttlSeconds: number; readonly maxEntries: number };
  readonly limits: {
    /** Videos one GraphQL operation may ask for, `video` and `videos` fields together. */
    readonly maxBatch: number;
    readonly maxBodyBytes: number;
  };
  readonly graphql: {
    /** Schema introspection (GraphiQL's docs need it); on unless NODE_ENV=production. */
    readonly introspection: boolean;
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxCost: number;
  };
  readonly merges: {
    /** ffmpeg to run: a path, or a name looked up on PATH. */
    readonly ffmpeg: string;
    /** Merged downloads running at once in this instance. */
    readonly max: number;
  };
  /** How long running requests (downloads) may go on after SIGTERM/SIGINT, in milliseconds. */
  readonly shutdownGraceMs: number;
  readonly clients: {
    /** When set, minting downloads needs one of these as `Authorization: Bearer <key>`. */
    readonly apiKeys: readonly string[] | undefined;
    /** Take the client's address from `X-Forwarded-For` (behind a trusted reverse proxy). */
    readonly trustProxy: boolean;
    /** Trusted proxies in front of the gateway: the client is the N-th `X-Forwarded-For` entry from the right. */
    readonly trustedProxyHops: number;
    readonly rateWindowMs: number;
    /** Allowance per client and window: videos asked about, downloads prepared, download requests. */
    readonly rateLimits: { readonly metadata: number; readonly prepare: number; readonly download: number };
    readonly maxStreams: number;
    readonly maxStreamsPerClient: number;
  };
  readonly redisUrl: string | undefined;
  readonly redis: {
    /** Longest one Redis command may take before Redis counts as down, in milliseconds. */
    readonly timeoutMs: number;
    /** How often a Redis that is down is asked again, in milliseconds. */
    readonly probeMs: number;
  };
  /** Names the address origin requests leave from: instances with the same id share media URLs. */
  readonly egressId: string;
  /** The direct-URL source; off while `hosts` is empty. */
  readonly httpSource: {
    readonly hosts: readonly HostRule[];
    /** The only way to loopback, private, link-local… addresses. */
    readonly allowedAddresses: readonly Cidr[];
    readonly maxRedirects: number;
    /** Largest file served, in bytes. */
    readonly maxBytes: number;
  };
  readonly offload: {
    /** `nginx`: file downloads are answered with an X-Accel-Redirect for nginx to carry. */
    readonly mode: "none" | "nginx";
    /** The nginx binary `npm run start:nginx` runs. */
    readonly nginx: string;
    /** DNS servers nginx asks for origin host names; undefined: those of /etc/resolv.conf. */
    readonly resolver: string | undefined;
  };
}

/** A configuration that does not parse: every problem, one per line (one problem: one line in all). */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    // One problem, one line; several, one line each under a heading.
    super(
      problems.length === 1
        ? `invalid configuration: ${problems[0]}`
        : `invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The environment with `DOWNTUBE_TOKEN_SECRETS` read from the file `DOWNTUBE_TOKEN_SECRETS_FILE`
 * names, when set (secrets separated by new lines or commas): systemd credentials and container
 * secrets keep them out of the process environment. Throws `ConfigError` for a file it cannot
 * read or that holds no secret, and when both variables are set.
 */
function withSecretsFile(environment: Environment): Environment {
  const path = environment.DOWNTUBE_TOKEN_SECRETS_FILE;
  if (path === undefined || path === "") return environment;
  const refuse = (problem: string) => new ConfigError([`DOWNTUBE_TOKEN_SECRETS_FILE: ${problem}`]);
  if (environment.DOWNTUBE_TOKEN_SECRETS) throw refuse("set this or DOWNTUBE_TOKEN_SECRETS, not both");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw refuse(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  const secrets = text.split(/[\r\n,]+/).filter((secret) => secret.trim() !== "");
  if (secrets.length === 0) throw refuse(`${path} holds no secret`);
  return { ...environment, DOWNTUBE_TOKEN_SECRETS: secrets.join(",") };
}

/**
 * Parses the environment once. Throws `ConfigError` listing every bad variable (not only the
 * first) so an operator fixes them all in one go.
 */
export function loadConfig(environment: Environment): Config {
  const parsed = envSchema.safeParse(withSecretsFile(environment));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl: env.PUBLIC_URL,
    tokens: {
      secrets: env.DOWNTUBE_TOKEN_SECRETS,
      ttlSeconds: env.DOWNTUBE_TOKEN_TTL,
      maxTtlSeconds: env.DOWNTUBE_TOKEN_MAX_TTL,
    },
    youtube: {
      origin: env.DOWNTUBE_YOUTUBE_ORIGIN,
      extractors: env.DOWNTUBE_YOUTUBE_EXTRACTORS,
      timeoutMs: env.DOWNTUBE_UPSTREAM_TIMEOUT_MS,
      chunkBytes: env.DOWNTUBE_UPSTREAM_CHUNK_BYTES,
    },
    cache: { ttlSeconds: env.DOWNTUBE_CACHE_TTL, maxEntries: env.DOWNTUBE_CACHE_MAX_ENTRIES },
    limits: { maxBatch: env.DOWNTUBE_MAX_BATCH, maxBodyBytes: env.DOWNTUBE_MAX_BODY_BYTES },
    graphql: {
      introspection:
        env.DOWNTUBE_GRAPHQL_INTROSPECTION === undefined
          ? env.NODE_ENV !== "production"
          : env.DOWNTUBE_GRAPHQL_INTROSPECTION === "true",
      maxDepth: env.DOWNTUBE_GRAPHQL_MAX_DEPTH,
      maxAliases: env.DOWNTUBE_GRAPHQL_MAX_ALIASES,
      maxCost: env.DOWNTUBE_GRAPHQL_MAX_COST,
    },
    merges: { ffmpeg: env.DOWNTUBE_FFMPEG, max: env.DOWNTUBE_MAX_MERGES },
    shutdownGraceMs: env.DOWNTUBE_SHUTDOWN_GRACE_MS,
    clients: {
      apiKeys: env.DOWNTUBE_API_KEYS,
      trustProxy: env.DOWNTUBE_TRUST_PROXY === "true",
      trustedProxyHops: env.DOWNTUBE_TRUSTED_PROXY_HOPS,
      rateWindowMs: env.DOWNTUBE_RATE_LIMIT_WINDOW_S * 1000,
      rateLimits: {
        metadata: env.DOWNTUBE_RATE_LIMIT_METADATA,
        prepare: env.DOWNTUBE_RATE_LIMIT_PREPARE,
        download: env.DOWNTUBE_RATE_LIMIT_DOWNLOAD,
      },
      maxStreams: env.DOWNTUBE_MAX_STREAMS,
      maxStreamsPerClient: env.DOWNTUBE_MAX_STREAMS_PER_CLIENT,
    },
    redisUrl: env.REDIS_URL,
    redis: { timeoutMs: env.DOWNTUBE_REDIS_TIMEOUT_MS, probeMs: env.DOWNTUBE_REDIS_PROBE_MS },
    egressId: env.DOWNTUBE_EGRESS_ID,
    httpSource: {
      hosts: env.DOWNTUBE_HTTP_SOURCE_HOSTS,
      allowedAddresses: env.DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES,
      maxRedirects: env.DOWNTUBE_HTTP_SOURCE_MAX_REDIRECTS,
      maxBytes: env.DOWNTUBE_HTTP_SOURCE_MAX_BYTES,
    },
    offload: {
      mode: env.DOWNTUBE_OFFLOAD,
      nginx: env.DOWNTUBE_NGINX,
      resolver: env.DOWNTUBE_NGINX_RESOLVER,
    },
  };
}
