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
    ...withCaptions(source, metrics),
  };
}

/** `call`, with the origin's failures counted. */
function counted<A extends unknown[], R>(metrics: Metrics, call: (...args: A) => Promise<R>) {
  return (...args: A): Promise<R> =>
    call(...args).catch((error: unknown) => {
      upstream(error, metrics);
      throw error;
    });
}

/** `locate` counted like `open`, for a source that has it (one without it stays without). */
function withLocate(source: VideoSource, metrics: Metrics): Pick<VideoSource, "locate"> {
  const { locate } = source;
  return locate === undefined ? {} : { locate: counted(metrics, locate.bind(source)) };
}

/** `thumbnail` counted like `open`, for a source that has it. */
function withThumbnail(source: VideoSource, metrics: Metrics): Pick<VideoSource, "thumbnail"> {
  const { thumbnail } = source;
  return thumbnail === undefined ? {} : { thumbnail: counted(metrics, thumbnail.bind(source)) };
}

/** `captions` counted like `open`, for a source that has it. */
function withCaptions(source: VideoSource, metrics: Metrics): Pick<VideoSource, "captions"> {
  const { captions } = source;
  return captions === undefined ? {} : { captions: counted(metrics, captions.bind(source)) };
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
