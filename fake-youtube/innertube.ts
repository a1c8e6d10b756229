/**
 * What youtubei.js asks of YouTube besides `/youtubei/v1/player` (answered by `server.ts` for
 * both extractors): session data (`/sw.js_data`), the InnerTube config, the iframe API (where it
 * reads the player id) and `/youtubei/v1/next` (the watch-next data:
 * owner, chapters), which is the watch page's `ytInitialData` as an API answer.
 */
import type { CatalogVideo } from "./catalog.ts";
import { buildInitialData } from "./initial-data.ts";
import { PLAYER_VERSION } from "./player-js.ts";

const JS = { "content-type": "text/javascript; charset=utf-8" };
const VISITOR_DATA = "CgtkdEZha2VWaXNpdG9y";

/** `/sw.js_data`: `)]}'` and a JSPB array whose `[0][2]` is `[[device info], api key]`. */
function sessionData(): Response {
  const device: (string | number | null | unknown[])[] = new Array(108).fill(null);
  device[0] = "en";
  device[1] = "US";
  device[3] = "127.0.0.1";
  device[13] = VISITOR_DATA;
  device[16] = "2.20260801.00.00";
  device[17] = "X11";
  device[18] = "";
  device[61] = [["fake-app-install-data"]];
  device[79] = "UTC";
  device[86] = "Chrome";
  device[87] = "125.0.0.0";
  const body = [[null, null, [[device], "fakeApiKeyForDowntubeTests"]]];
  return new Response(`)]}'\n${JSON.stringify(body)}`, { headers: { "content-type": "application/json" } });
}

/** `/iframe_api`: YouTube's loader script, which names the current player. */
function iframeApi(): Response {
  const scriptUrl = `https:\\/\\/www.youtube.com\\/s\\/player\\/${PLAYER_VERSION}\\/www-widgetapi.vflset\\/www-widgetapi.js`;
  return new Response(`var scriptUrl = '${scriptUrl}';try{var ttPolicy=null}catch(e){}\n`, { headers: JS });
}

async function videoIdOfBody(req: Request): Promise<string | undefined> {
  try {
    const body = (await req.json()) as { videoId?: unknown };
    return typeof body.videoId === "string" ? body.videoId : undefined;
  } catch {
    return undefined; // not JSON: answered as a request about no video
  }
}

/**
 * Answers youtubei.js's own requests, or undefined when `url` is none of them. `videoFor` finds
 * the simulated video of an id.
 */
export async function answerInnertube(
  req: Request,
  url: URL,
  videoFor: (id: string) => CatalogVideo | undefined,
): Promise<Response | undefined> {
  const path = url.pathname;
  if (path === "/sw.js_data") return sessionData();
  if (path === "/iframe_api") return iframeApi();
  if (req.method !== "POST") return undefined;
  if (path === "/youtubei/v1/config") {
    return Response.json({ responseContext: { visitorData: VISITOR_DATA }, configData: "fakeConfigData" });
  }
  if (path === "/youtubei/v1/next") {
    const id = await videoIdOfBody(req);
    const video = id === undefined ? undefined : videoFor(id);
    // An answer with no contents must still be an object with `responseContext`.
    return Response.json(video === undefined ? { responseContext: {} } : buildInitialData(video));
  }
  return undefined;
}
