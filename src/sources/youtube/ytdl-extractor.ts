import ytdl from "@distube/ytdl-core";
import type { YouTubeExtractor } from "./youtube-extractor.ts";
import { watchUrl } from "./youtube-url.ts";
import { fromYtdlError } from "./ytdl-errors.ts";
import { toVideoInfo } from "./ytdl-mapping.ts";
import { withExtractionFetch } from "./ytdl-requests.ts";

type PlayerClient = "WEB" | "WEB_EMBEDDED" | "IOS" | "ANDROID" | "TV";

export interface YtdlExtractorOptions {
  /** Which YouTube player clients to ask for formats. */
  readonly playerClients?: readonly PlayerClient[];
}

/**
 * The WEB client reads formats from the watch page itself, the others ask the youtubei player
 * API: asking both gives formats even when one of them is refused.
 */
const DEFAULT_CLIENTS: readonly PlayerClient[] = ["WEB", "WEB_EMBEDDED", "IOS", "ANDROID", "TV"];

// ytdl-core reads `maxRetries` from its request options (its typings do not list it) and adds
// headers to that object, so each extraction gets its own.
const oneRetry = () => ({ maxRetries: 1 }) as NonNullable<ytdl.getInfoOptions["requestOptions"]>;

interface YtdlCaches {
  cache: { info: Map<string, unknown>; watch: Map<string, unknown> };
}

/** ytdl-core keeps its own short-lived per-id caches; ours replaces them, so theirs are emptied. */
function forgetInYtdl(id: string): void {
  const { info, watch } = (ytdl as unknown as YtdlCaches).cache;
  for (const cache of [info, watch]) {
    for (const key of cache.keys()) if (key.includes(id)) cache.delete(key);
  }
}

/**
 * ytdl-core cannot read formats from an HLS manifest (they carry no mimeType), so a live video
 * that offers HLS only ends in "No playable formats found". Its details are still known (ytdl-core
 * caches the basic info it read, so asking again costs no request): a live video is answered as
 * such, with no format, and `prepareDownload` then says LIVE_NOT_SUPPORTED. Anything else rethrows.
 */
async function liveWithoutFiles(id: string, error: unknown): Promise<ytdl.videoInfo> {
  if (!(error instanceof Error) || !/no playable formats/i.test(error.message)) throw error;
  const basic = await ytdl.getBasicInfo(watchUrl(id), { requestOptions: oneRetry() });
  const details = basic.videoDetails;
  if (details.isLive !== true && details.liveBroadcastDetails?.isLiveNow !== true) throw error;
  return { ...basic, formats: [] };
}

/**
 * The @distube/ytdl-core extractor (`ytdl`): the watch page, the player script and the youtubei
 * player API of several clients. The only module that imports ytdl-core.
 */
export function createYtdlExtractor(options: YtdlExtractorOptions = {}): YouTubeExtractor {
  const playerClients = [...(options.playerClients ?? DEFAULT_CLIENTS)];
  return {
    name: "ytdl",
    async extract(id, fetch) {
      try {
        const info = await withExtractionFetch(fetch, () =>
          // One retry: ytdl-core retries failed watch pages with back-off, which the timeout bounds anyway.
          ytdl
            .getInfo(watchUrl(id), { playerClients, requestOptions: oneRetry() })
            .catch((error: unknown) => liveWithoutFiles(id, error)),
        );
        return toVideoInfo(info);
      } catch (error) {
        throw fromYtdlError(error);
      } finally {
        forgetInYtdl(id);
      }
    },
  };
}
