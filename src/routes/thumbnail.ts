import type { VideoService } from "../core/video-service.ts";
import { errorResponse, jsonError } from "../http/json-error.ts";
import type { AppDeps } from "./app-deps.ts";
import type { Route } from "./route.ts";

/** A YouTube video id, the only thing the route takes: never a URL, so it fetches nothing it is handed. */
const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

/**
 * `GET|HEAD /thumbnail/:videoId`: the thumbnail of a video the gateway can look up, fetched from
 * where its source declared it (YouTube's image host), kept in the cache store, and answered as
 * an image of a checked type. The page shows thumbnails through it, so a person's browser talks
 * to the gateway alone. Not a proxy: it takes a video id, never a URL. A cache miss counts
 * against the client's metadata rate limit, as a `video` query would.
 */
export function createThumbnailRoute(
  deps: Pick<AppDeps, "log" | "limiter" | "thumbnails"> & {
    readonly videos: Pick<VideoService, "parse">;
    /** How long browsers may keep a thumbnail: as long as the gateway caches it. */
    readonly config: { readonly cache: { readonly ttlSeconds: number } };
  },
): Route {
  return {
    pattern: "/thumbnail/:videoId",
    methods: ["GET", "HEAD"],
    async handle(request, { params, client }) {
      const id = params.videoId ?? "";
      if (!VIDEO_ID.test(id))
        return jsonError(400, "BAD_USER_INPUT", "a thumbnail is asked for by an 11-character video id");
      try {
        const ref = deps.videos.parse(id);
        const who = client();
        const image = await deps.thumbnails.get(ref, request.signal, () =>
          deps.limiter.take("metadata", who.id),
        );
        if (image === undefined) return jsonError(404, "NOT_FOUND", "this video has no thumbnail");
        return new Response(image.bytes, {
          headers: {
            "Content-Type": image.type,
            "Content-Length": String(image.bytes.byteLength),
            "Cache-Control": `public, max-age=${deps.config.cache.ttlSeconds}`,
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
            "Cross-Origin-Resource-Policy": "same-origin",
          },
        });
      } catch (error) {
        return errorResponse(error, deps.log);
      }
    },
  };
}
