import { z } from "zod";

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
/** An optional comma-separated list of secrets, each at least `minLength` characters. */
const commaList = (minLength: number, what: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((list) =>
        list
          .split(",")
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      )
      .pipe(
        z
          .array(z.string().min(minLength, `each ${what} needs at least ${minLength} characters`))
          .min(1, `give at least one ${what}`),
      )
      .optional(),
  );

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    PUBLIC_URL: z.preprocess(emptyAsUndefined, optionalUrl),
    DOWNTUBE_TOKEN_SECRETS: commaList(32, "secret"),
    DOWNTUBE_TOKEN_TTL: seconds(3600),
    DOWNTUBE_TOKEN_MAX_TTL: seconds(6 * 3600),
    DOWNTUBE_YOUTUBE_ORIGIN: z.preprocess(emptyAsUndefined, optionalUrl),
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
    DOWNTUBE_RATE_LIMIT_WINDOW_S: seconds(60),
    DOWNTUBE_RATE_LIMIT_METADATA: count(120),
    DOWNTUBE_RATE_LIMIT_PREPARE: count(30),
    DOWNTUBE_RATE_LIMIT_DOWNLOAD: count(120),
    DOWNTUBE_MAX_STREAMS: count(64),
    DOWNTUBE_MAX_STREAMS_PER_CLIENT: count(4),
    DOWNTUBE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
    REDIS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^rediss?$/ }).optional()),
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
  /** How long running requests (downloads) may go on after SIGTERM/SIGINT, in milliseconds. */
  readonly shutdownGraceMs: number;
  readonly clients: {
    /** When set, minting downloads needs one of these as `Authorization: Bearer <key>`. */
    readonly apiKeys: readonly string[] | undefined;
    /** Take the client's address from `X-Forwarded-For` (behind a trusted reverse proxy). */
    readonly trustProxy: boolean;
    readonly rateWindowMs: number;
    /** Allowance per client and window: videos asked about, downloads prepared, download requests. */
    readonly rateLimits: { readonly metadata: number; readonly prepare: number; readonly download: number };
    readonly maxStreams: number;
    readonly maxStreamsPerClient: number;
  };
  readonly redisUrl: string | undefined;
  readonly offload: {
    /** `nginx`: file downloads are answered with an X-Accel-Redirect for nginx to carry. */
    readonly mode: "none" | "nginx";
    /** The nginx binary `npm run start:nginx` runs. */
    readonly nginx: string;
    /** DNS servers nginx asks for origin host names; undefined: those of /etc/resolv.conf. */
    readonly resolver: string | undefined;
  };
}

/** A configuration that does not parse: every problem, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses the environment once. Throws `ConfigError` listing every bad variable (not only the
 * first) so an operator fixes them all in one go.
 */
export function loadConfig(environment: Readonly<Record<string, string | undefined>>): Config {
  const parsed = envSchema.safeParse(environment);
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
    shutdownGraceMs: env.DOWNTUBE_SHUTDOWN_GRACE_MS,
    clients: {
      apiKeys: env.DOWNTUBE_API_KEYS,
      trustProxy: env.DOWNTUBE_TRUST_PROXY === "true",
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
    offload: {
      mode: env.DOWNTUBE_OFFLOAD,
      nginx: env.DOWNTUBE_NGINX,
      resolver: env.DOWNTUBE_NGINX_RESOLVER,
    },
  };
}
