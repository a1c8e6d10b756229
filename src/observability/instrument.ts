import { DowntubeError, TokenExpiredError, TokenInvalidError } from "../core/errors.ts";
import type { VideoSource } from "../core/ports.ts";
import type { TokenService } from "../tokens/token-service.ts";
import type { Metrics } from "./metrics.ts";

const upstream = (error: unknown, metrics: Metrics) => {
  if (error instanceof DowntubeError && error.status >= 500) metrics.upstreamError(error.code);
};

/** A `VideoSource` that times its extractions and counts the origin's failures. */
export function instrumentSource(source: VideoSource, metrics: Metrics): VideoSource {
  return {
    name: source.name,
    parse: (input) => source.parse(input),
    async getInfo(ref, signal) {
      const started = performance.now();
      try {
        const info = await source.getInfo(ref, signal);
        metrics.extraction((performance.now() - started) / 1000, "ok");
        return info;
      } catch (error) {
        metrics.extraction((performance.now() - started) / 1000, "error");
        upstream(error, metrics);
        throw error;
      }
    },
    sizeOf: (format, signal) =>
      source.sizeOf(format, signal).catch((error: unknown) => {
        upstream(error, metrics);
        throw error;
      }),
    open: (ref, format, range, signal) =>
      source.open(ref, format, range, signal).catch((error: unknown) => {
        upstream(error, metrics);
        throw error;
      }),
    ...withLocate(source, metrics),
    ...withThumbnail(source, metrics),
  };
}

/** `thumbnail` counted like `open`, for a source that has it (one without it stays without). */
function withThumbnail(source: VideoSource, metrics: Metrics): Pick<VideoSource, "thumbnail"> {
  const { thumbnail } = source;
  if (thumbnail === undefined) return {};
  return {
    thumbnail: (ref, which, signal) =>
      thumbnail.call(source, ref, which, signal).catch((error: unknown) => {
        upstream(error, metrics);
        throw error;
      }),
  };
}

/** `locate` counted like `open`, for a source that has it (one without it stays without). */
function withLocate(source: VideoSource, metrics: Metrics): Pick<VideoSource, "locate"> {
  const { locate } = source;
  if (locate === undefined) return {};
  return {
    locate: (ref, format, signal, options) =>
      locate.call(source, ref, format, signal, options).catch((error: unknown) => {
        upstream(error, metrics);
        throw error;
      }),
  };
}

/** A `TokenService` that counts verifications by outcome. */
export function instrumentTokens(tokens: TokenService, metrics: Metrics): TokenService {
  return {
    sign: (claims, ttl) => tokens.sign(claims, ttl),
    async verify(token) {
      try {
        const claims = await tokens.verify(token);
        metrics.tokenVerification("valid");
        return claims;
      } catch (error) {
        if (error instanceof TokenExpiredError) metrics.tokenVerification("expired");
        else if (error instanceof TokenInvalidError) metrics.tokenVerification("invalid");
        throw error;
      }
    },
  };
}
