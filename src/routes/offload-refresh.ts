import { REFRESH_PREFIX } from "../offload/internal-uri.ts";

/**
 * The token of `/_downtube/refresh/download/:token` (still percent-encoded), the internal route
 * nginx calls when the origin refused a media URL it was redirected to (403/410): the gateway
 * extracts the video again and answers a fresh `X-Accel-Redirect`. Undefined for any other path,
 * and always when offload is off. nginx answers 404 to this path from outside (`internal`), and
 * in offload mode the gateway itself listens where only nginx reaches it.
 */
export function offloadRefreshTokenOf(pathname: string, offload: "none" | "nginx"): string | undefined {
  if (offload !== "nginx" || !pathname.startsWith(`${REFRESH_PREFIX}/`)) return undefined;
  const [first, token, ...rest] = pathname.slice(REFRESH_PREFIX.length).split("/").slice(1);
  return first === "download" && token !== undefined && token !== "" && rest.length === 0 ? token : undefined;
}
