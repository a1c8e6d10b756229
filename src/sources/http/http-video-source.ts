import {
  DowntubeError,
  UnsupportedMediaError,
  UpstreamError,
  UpstreamTimeoutError,
} from "../../core/errors.ts";
import type { ExpiringMap } from "../../core/expiring-map.ts";
import type { HostRule } from "../../core/host-rule.ts";
import type { Cidr } from "../../core/ip-address.ts";
import type { MediaLocation } from "../../core/media-location.ts";
import type { LocateOptions, NameResolver, VideoSource } from "../../core/ports.ts";
import type { MediaFormat, VideoRef } from "../../core/video.ts";
import type { OriginFetch } from "../origin-request.ts";
import { fetchSize } from "../origin-request.ts";
import { openRanged, type ParallelReads } from "../ranged-fetch.ts";
import { createAddressPolicy } from "./address-policy.ts";
import { essenceOfHeader, isMediaType, probeMedia } from "./media-probe.ts";
import { createPinnedFetch, type PinnedTransport } from "./pinned-fetch.ts";
import { createUrlPolicy } from "./url-policy.ts";
import { openWhole } from "./whole-fetch.ts";

export interface HttpVideoSourceOptions {
  /** `DOWNTUBE_HTTP_SOURCE_HOSTS`: which hosts (and extra ports) may be fetched at all. */
  readonly hosts: readonly HostRule[];
  /** `DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES`: the only way to otherwise forbidden addresses. */
  readonly allowedAddresses: readonly Cidr[];
  readonly maxRedirects: number;
  /** Largest file served, in bytes. */
  readonly maxBytes: number;
  /** Budget of a metadata probe, and of each media request until it answers, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest range asked of the origin in one media request, in bytes. */
  readonly chunkBytes: number;
  /** Ranges in flight per download and the per-egress connection cap (one range at a time without). */
  readonly parallel?: ParallelReads;
  /** The egress media requests leave from, the key of the connection cap. @default "default" */
  readonly egressId?: string;
  /** The platform fetch and resolver; injected so tests can steer names to forbidden addresses. */
  readonly fetch: PinnedTransport;
  readonly resolve: NameResolver;
  /**
   * Where direct URLs were located lately (by URL, revision and size), so an offloaded download
   * skips the `HEAD` that `locate` would send; per instance, with a short TTL.
   */
  readonly locations: ExpiringMap<MediaLocation>;
}

/** The direct-URL source; it always implements `locate` (nginx offload must use it). */
export interface HttpVideoSource extends VideoSource {
  locate(
    ref: VideoRef,
    format: MediaFormat,
    signal: AbortSignal,
    options?: LocateOptions,
  ): Promise<MediaLocation>;
}

/**
 * The `VideoSource` of direct media URLs (`https://media.example.com/clip.mp4`) on allow-listed
 * hosts: one format per URL, described by the origin's `HEAD`, streamed with its Range support.
 * Every connection goes to an address that passed the address policy, never to a second
 * resolution of the name.
 */
export function createHttpVideoSource(options: HttpVideoSourceOptions): HttpVideoSource {
  const urls = createUrlPolicy(options.hosts);
  const connector = createPinnedFetch({
    fetch: options.fetch,
    resolve: options.resolve,
    urls,
    addresses: createAddressPolicy(options.allowedAddresses),
    maxRedirects: options.maxRedirects,
  });

  /** GETs through the connector; a 2xx answer must still be media, whatever it was before. */
  const mediaFetch =
    (format: MediaFormat): OriginFetch =>
    async (url, init) => {
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      // A changed file answers 200 instead of 206 to this, so a resume never splices two versions.
      if (format.revision !== undefined && headers.range !== undefined) headers["if-range"] = format.revision;
      const { response } = await connector.request(url, {
        method: "GET",
        headers,
        signal: init.signal ?? new AbortController().signal,
      });
      if (response.ok && !isMediaType(essenceOfHeader(response.headers.get("content-type")))) {
        await response.body?.cancel().catch(() => undefined); // not passed on: not media
        throw new UnsupportedMediaError("the URL no longer points at an audio or video file");
      }
      return response;
    };

  return {
    name: "http",

    parse(input) {
      if (!urls.claims(input)) return undefined;
      return { source: "http", id: urls.check(input).href };
    },

    async getInfo(ref, signal) {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const abort = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
      try {
        return await probeMedia(
          { connector, timeoutMs: options.timeoutMs, maxBytes: options.maxBytes },
          urls.check(ref.id),
          abort,
        );
      } catch (error) {
        if (error instanceof DowntubeError) throw error;
        if (timeout.aborted)
          throw new UpstreamTimeoutError(`the media origin did not answer within ${options.timeoutMs} ms`, {
            cause: error,
          });
        if (signal?.aborted) throw signal.reason;
        throw new UpstreamError("could not reach the media origin", { cause: error });
      }
    },

    async sizeOf(format, signal) {
      if (format.contentLength !== undefined) return format.contentLength;
      return fetchSize({ fetch: mediaFetch(format), url: format.url, timeoutMs: options.timeoutMs, signal });
    },

    async open(_ref, format, range, signal) {
      const common = { fetch: mediaFetch(format), url: format.url, timeoutMs: options.timeoutMs, signal };
      if (format.acceptsRanges === false) {
        // The responder asks such a file whole: it promised no 206 for it.
        return { body: await openWhole({ ...common, size: range.end + 1 }) };
      }
      const { chunkBytes, parallel, egressId } = options;
      return { body: await openRanged({ ...common, range, chunkBytes, parallel, egressId }) };
    },

    async locate(_ref, format, signal, locateOptions) {
      const key = locationKey(format);
      // Remembering a location is as safe as asking again: what is kept is exactly what this
      // HEAD returned, the address the address policy passed (never a name for the proxy to
      // resolve), under policies that stay the same for the instance's life. A stale entry can
      // only send the proxy to an address that was allowed a few minutes ago, for bytes of the
      // same URL, revision and size; an origin that refuses them there sends the proxy back
      // with a refresh, which asks again.
      const known = locateOptions?.refresh === true ? undefined : options.locations.get(key);
      if (known !== undefined) return known;
      options.locations.delete(key);
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const { response, target } = await connector.request(format.url, {
        method: "HEAD",
        signal: AbortSignal.any([signal, timeout]),
      });
      await response.body?.cancel().catch(() => undefined); // only where it answered matters
      // The checked address, never the name: a proxy connecting there resolves nothing itself.
      const connect = new URL(target.connectUrl);
      const scheme = connect.protocol === "https:" ? "https" : "http";
      const location: MediaLocation = {
        scheme,
        address: `${connect.hostname}:${connect.port || (scheme === "https" ? "443" : "80")}`,
        host: target.hostHeader,
        path: connect.pathname + connect.search,
      };
      // Only where the file was really found is worth remembering (a HEAD refused is asked again).
      if (response.ok) options.locations.set(key, location);
      return location;
    },
  };
}

/**
 * What a remembered location is filed under: the URL with the revision (ETag) and size the
 * metadata gave, so a file changed under the same URL is located again, never served from the
 * old entry.
 */
function locationKey(format: MediaFormat): string {
  return JSON.stringify([format.url, format.revision ?? null, format.contentLength ?? null]);
}
