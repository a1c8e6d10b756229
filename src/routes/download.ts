import type { AppDeps } from "../app.ts";
import { createDownloadHandler } from "../streaming/download-handler.ts";
import { decodePathSegment, type Route } from "./route.ts";

/** `GET|HEAD /download/:token`: the bytes of a prepared download (see `download-handler.ts`). */
export function createDownloadRoute(
  deps: Pick<AppDeps, "limiter" | "slots" | "mergeSlots" | "merger" | "videos" | "tokens" | "uses" | "log">,
): Route {
  const download = createDownloadHandler(deps);
  return {
    pattern: "/download/:token",
    methods: ["GET", "HEAD"],
    handle: (request, { params, client, info }) =>
      download(request, decodePathSegment(params.token ?? ""), client(), info.onClose),
  };
}
