import { z } from "zod";
import { flag, positive, secretList } from "./schema-parts.ts";

/** Who may use the gateway and how much: API keys, proxies in front, rate limits, stream caps. */
export const clientSettings = z
  .object({
    DOWNTUBE_API_KEYS: secretList(16, "API key"),
    DOWNTUBE_TRUST_PROXY: flag(false),
    DOWNTUBE_TRUSTED_PROXY_HOPS: positive(1),
    DOWNTUBE_RATE_LIMIT_WINDOW_S: positive(60, "number of seconds"),
    DOWNTUBE_RATE_LIMIT_METADATA: positive(120),
    DOWNTUBE_RATE_LIMIT_PREPARE: positive(30),
    DOWNTUBE_RATE_LIMIT_DOWNLOAD: positive(120),
    DOWNTUBE_MAX_STREAMS: positive(64),
    DOWNTUBE_MAX_STREAMS_PER_CLIENT: positive(4),
  })
  .transform((env) => ({
    /** When set, minting downloads needs one of these as `Authorization: Bearer <key>`. */
    apiKeys: env.DOWNTUBE_API_KEYS as readonly string[] | undefined,
    /** Take the client's address from `X-Forwarded-For` (behind a trusted reverse proxy). */
    trustProxy: env.DOWNTUBE_TRUST_PROXY,
    /** Trusted proxies in front of the gateway: the client is the N-th `X-Forwarded-For` entry from the right. */
    trustedProxyHops: env.DOWNTUBE_TRUSTED_PROXY_HOPS,
    rateWindowMs: env.DOWNTUBE_RATE_LIMIT_WINDOW_S * 1000,
    /** Allowance per client and window: videos asked about, downloads prepared, download requests. */
    rateLimits: {
      metadata: env.DOWNTUBE_RATE_LIMIT_METADATA,
      prepare: env.DOWNTUBE_RATE_LIMIT_PREPARE,
      download: env.DOWNTUBE_RATE_LIMIT_DOWNLOAD,
    },
    maxStreams: env.DOWNTUBE_MAX_STREAMS,
    maxStreamsPerClient: env.DOWNTUBE_MAX_STREAMS_PER_CLIENT,
  }));
