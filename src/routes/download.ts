import { createDownloadHandler } from "../download/download-handler.ts";
import { REFRESH_PREFIX } from "../offload/internal-uri.ts";
import type { AppDeps } from "./app-deps.ts";
import { decodePathSegment, type Route } from "./route.ts";

/** What the download routes need. */
export type DownloadRouteDeps = Pick<
  AppDeps,
  "limiter" | "slots" | "ffmpegSlots" | "ffmpeg" | "videos" | "tokens" | "allowance" | "log" | "config"
>;

/**
 * `GET|HEAD /download/:token`: the bytes of a prepared download (see `download-handler.ts`); in
 * offload mode also `GET /_downtube/refresh/download/:token`, where nginx hands back a download
 * whose media URL the origin refused (403/410): the gateway extracts the video again and answers a
 * fresh X-Accel-Redirect. nginx answers 404 to that path from outside (`internal`), and in offload
 * mode the gateway listens where only nginx reaches it.
 */
export function createDownloadRoutes(deps: DownloadRouteDeps): Route[] {
  const offload = deps.config.offload.mode;
  const download = createDownloadHandler({
    ...deps,
    offload,
    maxCaptionBytes: deps.config.captions.maxBytes,
  });
  const routes: Route[] = [
    {
      pattern: "/download/:token",
      methods: ["GET", "HEAD"],
      handle: (request, { params, client, info }) =>
        download(request, decodePathSegment(params.token ?? ""), client(), info.onClose),
    },
  ];
  if (offload === "nginx") {
    routes.push({
      pattern: `${REFRESH_PREFIX}/download/:token`,
      methods: ["GET"],
      handle: (request, { params, client, info }) =>
        download(request, decodePathSegment(params.token ?? ""), client(), info.onClose, "refresh"),
    });
  }
  return routes;
}
