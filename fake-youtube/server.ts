/**
 * The simulated YouTube: one `Bun.serve` on 127.0.0.1 answering the requests ytdl-core makes
 * (watch and embed pages, html5player, youtubei `/player`, manifests) and googlevideo's
 * `/videoplayback`. A client reaches it by keeping the path and query of each YouTube URL and
 * swapping scheme and host for {@link FakeYouTube.origin}.
 */
import { answerBrowse } from "./browse.ts";
import { type CatalogVideo, catalogVideo, externalVideo } from "./catalog.ts";
import { craftPlayerResponse, innertubePlayerFails, quirkVideo, watchPageFails } from "./extractor-quirks.ts";
import { fixtureById, loadRecordedPage, recordedManifestFile, recordedPlayerFile } from "./fixtures.ts";
import { type Hit, type HitKind, HitLog } from "./hit-log.ts";
import { buildInitialData } from "./initial-data.ts";
import { answerInnertube } from "./innertube.ts";
import { es6PlayerJs } from "./innertube-player.ts";
import { liveDashManifest, liveMediaPlaylist, liveVariantPlaylist } from "./live-manifest.ts";
import { prepareLongMedia } from "./long-media.ts";
import {
  DEFAULT_MEDIA_DIR,
  type ExternalMediaOption,
  ensureLargeMediaFile,
  type LargeMediaOption,
  largeMediaPath,
  MEDIA_FORMATS,
  type MediaFile,
  type MediaItag,
  prepareMedia,
} from "./media.ts";
import { PLAYER_JS_PATH, PLAYER_VERSION, playerJs } from "./player-js.ts";
import { buildPlayerResponse, type Json, URL_LIFETIME_SECONDS } from "./player-response.ts";
import { listEntryVideo } from "./playlists.ts";
import {
  createStrictYouTube,
  type Requester,
  type StrictModes,
  type StrictYouTube,
} from "./strict-youtube.ts";
import { isThumbnailPath, serveThumbnail } from "./thumbnails.ts";
import { serveTimedtext } from "./timedtext.ts";
import { serveVideoplayback, type TrickleOptions } from "./videoplayback.ts";
import { buildEmbedPage, buildWatchPage } from "./watch-page.ts";

/** Options of {@link startFakeYouTube}. */
export interface FakeYouTubeOptions {
  /** Port on 127.0.0.1. @default 0 (any free port) */
  port?: number;
  /** How long the `slow` video's watch page waits before answering, in ms. @default 3000 */
  slowWatchDelayMs?: number;
  /** Where generated media is cached. @default `test/.media/` */
  mediaDir?: string;
  /** The large synthetic format of the `large` video. @default { itag: 18, bytes: 16 MiB } */
  largeMedia?: LargeMediaOption;
  /**
   * Extra videos by 11-character id (not catalog ids), each with one format whose bytes another
   * server holds: `/videoplayback` checks the URL as usual, then answers 302 to `url`. For
   * benchmarks against a static-file origin. @default {}
   */
  externalMedia?: Readonly<Record<string, ExternalMediaOption>>;
  /** Pace of the `trickle` video's media. */
  trickle?: TrickleOptions;
  /** Clock in epoch milliseconds (URL expiry). @default Date.now */
  now?: () => number;
  /** How strict it is with a server (bot checks, PO tokens, address binding). @default all off */
  strict?: StrictModes;
  /** The secret its genuine PO tokens are made with (`mintPoToken`). @default random */
  poTokenSecret?: string;
}

/** A running simulated YouTube. */
export interface FakeYouTube {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  port: number;
  hits: HitLog;
  /** The generated media files by itag (sizes and durations as declared). */
  media: ReadonlyMap<MediaItag, MediaFile>;
  /** The large video's single format. */
  large: MediaFile;
  /** Its strictness: `strict.modes` can be switched mid-test; `strict.mintPoToken` makes genuine tokens. */
  strict: StrictYouTube;
  /** Forgets hits and per-video state (extraction counts behind `expiredFirstExtraction`). */
  reset(): void;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
}

const HTML = { "content-type": "text/html; charset=utf-8" };
const JS = { "content-type": "text/javascript; charset=utf-8" };
const JSON_TYPE = { "content-type": "application/json; charset=UTF-8" };
const ID = /^[A-Za-z0-9_-]{11}$/;

/** A synthetic file declared as `itag`, `bytes` long, at 8 Mb/s. */
function syntheticFile(itag: MediaItag, path: string, bytes: number): MediaFile {
  const bitrate = 8_000_000;
  return {
    ...MEDIA_FORMATS[itag],
    path,
    size: bytes,
    durationMs: Math.max(1, Math.round((bytes * 8 * 1000) / bitrate)),
    bitrate,
  };
}

function largeFile(dir: string, option: LargeMediaOption | undefined): MediaFile {
  const bytes = option?.bytes ?? 16 * 1024 * 1024;
  return syntheticFile(option?.itag ?? 18, largeMediaPath(dir, bytes), bytes);
}

/** An `external` video, its one format (`path` is the URL) and where its bytes live. */
interface ExternalEntry {
  video: CatalogVideo;
  file: MediaFile;
  url: string;
}

function externalEntries(option: FakeYouTubeOptions["externalMedia"]): Map<string, ExternalEntry> {
  const entries = new Map<string, ExternalEntry>();
  for (const [id, { url, bytes, itag = 18 }] of Object.entries(option ?? {})) {
    if (!ID.test(id) || catalogVideo(id) !== undefined) {
      throw new RangeError(`externalMedia: ${JSON.stringify(id)} must be a new 11-character video id`);
    }
    if (!Number.isSafeInteger(bytes) || bytes <= 0) {
      throw new RangeError(`externalMedia: ${id} needs a positive whole size in bytes`);
    }
    entries.set(id, {
      video: externalVideo(id, itag),
      file: syntheticFile(itag, url, bytes),
      url: new URL(url).href,
    });
  }
  return entries;
}

function videoIdOf(kind: HitKind, url: URL, body: { videoId?: unknown } | undefined): string | undefined {
  let id: string | null | undefined;
  if (kind === "watch") id = url.searchParams.get("v");
  else if (kind === "embed") id = url.pathname.split("/")[2];
  else if (kind === "youtubei")
    id = typeof body?.videoId === "string" ? body.videoId : url.searchParams.get("id");
  else if (kind === "media") id = url.searchParams.get("id");
  else if (kind === "timedtext") id = url.searchParams.get("v");
  else if (kind === "manifest") id = /\/id\/([A-Za-z0-9_-]{11})/.exec(url.pathname)?.[1];
  else if (kind === "thumbnail") id = url.pathname.split("/")[2];
  return id && ID.test(id) ? id : undefined;
}

function kindOf(method: string, path: string): HitKind {
  if (path === "/watch") return "watch";
  if (path.startsWith("/embed/")) return "embed";
  if (path.startsWith("/s/player/") && path.endsWith(".js")) return "player-js";
  if (method === "POST" && path === "/youtubei/v1/player") return "youtubei";
  if (path === "/videoplayback") return "media";
  if (path.startsWith("/api/manifest/")) return "manifest";
  if (isThumbnailPath(path)) return "thumbnail";
  if (path === "/api/timedtext") return "timedtext";
  return "other";
}

function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => resolve(true), ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve(false);
      },
      { once: true },
    );
  });
}

/**
 * Starts the simulated YouTube. Generates the media files first when they are not cached yet
 * (needs ffmpeg; throws `MediaGenerationError` otherwise).
 */
export async function startFakeYouTube(options: FakeYouTubeOptions = {}): Promise<FakeYouTube> {
  const mediaDir = options.mediaDir ?? DEFAULT_MEDIA_DIR;
  const media = await prepareMedia(mediaDir);
  const large = largeFile(mediaDir, options.largeMedia);
  const external = externalEntries(options.externalMedia);
  const videoFor = (id: string): CatalogVideo | undefined =>
    external.get(id)?.video ?? catalogVideo(id) ?? quirkVideo(id) ?? listEntryVideo(id);
  const now = options.now ?? Date.now;
  const slowMs = options.slowWatchDelayMs ?? 3000;
  const trickle = {
    chunkBytes: options.trickle?.chunkBytes ?? 16 * 1024,
    intervalMs: options.trickle?.intervalMs ?? 25,
  };
  const hits = new HitLog();
  const strict = createStrictYouTube(options.strict, options.poTokenSecret);
  const extractions = new Map<string, { count: number; startedAt: number }>();
  let origin = "";

  const expireFor = (video: CatalogVideo): number => {
    const extraction = extractions.get(video.id);
    const started = Math.floor((extraction?.startedAt ?? now()) / 1000);
    if (video.expiredFirstExtraction && extraction?.count === 1) return started - 60;
    return started + URL_LIFETIME_SECONDS;
  };
  // The long video's files are made when it is first asked for: most tests never need them.
  let long: ReadonlyMap<number, MediaFile> | undefined;
  const prepareFor = async (video: CatalogVideo | undefined): Promise<void> => {
    if (video?.media === "long") long ??= await prepareLongMedia(mediaDir);
  };
  const playerResponseFor = (video: CatalogVideo, requester: Requester) =>
    strict.botCheck(video.id, requester) ??
    buildPlayerResponse(video, {
      origin,
      expire: expireFor(video),
      media,
      long,
      single: singleFileOf(video),
      ip: strict.boundAddress(requester),
    });
  const singleFileOf = (video: CatalogVideo): MediaFile | undefined =>
    video.media === "large" ? large : external.get(video.id)?.file;
  const fileFor = (video: CatalogVideo, itag: number): MediaFile | undefined => {
    const single = singleFileOf(video);
    if (single !== undefined) return itag === single.itag ? single : undefined;
    if (video.media === "long") return video.itags.includes(itag as MediaItag) ? long?.get(itag) : undefined;
    return video.itags.includes(itag as MediaItag) ? media.get(itag as MediaItag) : undefined;
  };

  /** Counts an extraction begun (ytdl-core at the watch page, youtubei.js at /player as WEB). */
  function countExtraction(video: CatalogVideo): void {
    const previous = extractions.get(video.id);
    extractions.set(video.id, { count: (previous?.count ?? 0) + 1, startedAt: now() });
  }

  const requesterOf = (hit: Hit, body?: PlayerBody): Requester => ({
    address: hit.address,
    cookie: hit.headers.cookie ?? null,
    body,
  });

  async function watch(id: string | undefined, hit: Hit, signal: AbortSignal): Promise<Response> {
    const fixture = id ? fixtureById(id) : undefined;
    if (fixture) return new Response(loadRecordedPage(fixture.name).watchHtml, { headers: HTML });
    const video = id ? videoFor(id) : undefined;
    if (!video || video.watch === "not-found")
      return new Response("<h1>404 Not Found</h1>", { status: 404, headers: HTML });
    if (video.watch === "failing" || watchPageFails(video.id))
      return new Response("<h1>500 Internal Server Error</h1>", { status: 500, headers: HTML });
    if (video.watch === "slow" && !(await waitUnlessAborted(slowMs, signal))) {
      hits.markAborted(hit);
      return new Response(null, { status: 499 });
    }
    countExtraction(video);
    await prepareFor(video);
    return new Response(
      buildWatchPage({
        videoId: video.id,
        title: video.title,
        playerResponse: playerResponseFor(video, requesterOf(hit)),
        initialData: buildInitialData(video),
        jsUrl: PLAYER_JS_PATH,
      }),
      { headers: HTML },
    );
  }

  async function youtubei(
    id: string | undefined,
    hit: Hit,
    body: PlayerBody | undefined,
    signal: AbortSignal,
  ): Promise<Response> {
    if (id !== undefined && innertubePlayerFails(id, hit.clientName)) {
      return Response.json({ error: { code: 500 } }, { status: 500 });
    }
    const fixture = id ? fixtureById(id) : undefined;
    if (fixture) return Response.json(loadRecordedPage(fixture.name).playerResponse, { headers: JSON_TYPE });
    const video = id ? videoFor(id) : undefined;
    if (video?.watch === "failing") return Response.json({ error: { code: 500 } }, { status: 500 });
    // The slow origin is slow for an extractor that never reads the watch page too.
    if (video?.watch === "slow" && !(await waitUnlessAborted(slowMs, signal))) {
      hits.markAborted(hit);
      return new Response(null, { status: 499 });
    }
    if (!video || video.watch === "not-found") {
      const unknown: Json = { playabilityStatus: { status: "ERROR", reason: "Video unavailable" } };
      return Response.json(unknown, { headers: JSON_TYPE });
    }
    if (hit.clientName === "WEB") countExtraction(video);
    await prepareFor(video);
    const answer = playerResponseFor(video, requesterOf(hit, body));
    return Response.json(craftPlayerResponse(video.id, answer), { headers: JSON_TYPE });
  }

  function playerScript(path: string): Response {
    const version = path.split("/")[3] ?? "";
    // youtubei.js asks for the es6 build of the same player, which it analyses differently.
    if (version === PLAYER_VERSION && path.includes("/player_es6.")) {
      return new Response(es6PlayerJs(), { headers: JS });
    }
    if (version === PLAYER_VERSION) return new Response(playerJs(), { headers: JS });
    const recorded = recordedPlayerFile(version);
    return recorded
      ? new Response(Bun.file(recorded), { headers: JS })
      : new Response("not found", { status: 404 });
  }

  function manifest(path: string): Response {
    if (path.includes("/id/5qap5aO4i9A")) {
      const kind = path.startsWith("/api/manifest/dash/") ? "dash" : "hls";
      const type = kind === "dash" ? "application/dash+xml" : "application/vnd.apple.mpegurl";
      return new Response(Bun.file(recordedManifestFile(kind)), { headers: { "content-type": type } });
    }
    const id = /\/id\/([A-Za-z0-9_-]{11})\//.exec(path)?.[1];
    const video = id ? videoFor(id) : undefined;
    if (!video?.isLive) return new Response("not found", { status: 404 });
    if (path.startsWith("/api/manifest/dash/")) {
      return new Response(liveDashManifest(), { headers: { "content-type": "application/dash+xml" } });
    }
    const body = path.startsWith("/api/manifest/hls_variant/")
      ? liveVariantPlaylist(origin, video.id, expireFor(video))
      : liveMediaPlaylist();
    return new Response(body, { headers: { "content-type": "application/vnd.apple.mpegurl" } });
  }

  async function handle(req: Request, address: string | undefined): Promise<Response> {
    const url = new URL(req.url);
    const kind = kindOf(req.method, url.pathname);
    const body = kind === "youtubei" ? await readJson(req) : undefined;
    const hit = hits.record({
      kind,
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(req.headers),
      videoId: videoIdOf(kind, url, body),
      clientName: body?.context?.client?.clientName,
      visitorData:
        typeof body?.context?.client?.visitorData === "string" ? body.context.client.visitorData : undefined,
      aborted: false,
      at: Date.now(),
      address,
    });
    const response = await route(kind, req, url, hit, body);
    hit.status = response.status;
    return response;
  }

  async function route(
    kind: HitKind,
    req: Request,
    url: URL,
    hit: Hit,
    body: PlayerBody | undefined,
  ): Promise<Response> {
    switch (kind) {
      case "watch":
        return watch(hit.videoId, hit, req.signal);
      case "embed":
        return new Response(buildEmbedPage(hit.videoId ?? "", PLAYER_JS_PATH), { headers: HTML });
      case "player-js":
        return playerScript(url.pathname);
      case "youtubei":
        return youtubei(hit.videoId, hit, body, req.signal);
      case "media": {
        const mediaVideo = videoFor(hit.videoId ?? "");
        if (mediaVideo?.media === "large") ensureLargeMediaFile(mediaDir, large.size);
        await prepareFor(mediaVideo);
        const nowSeconds = Math.floor(now() / 1000);
        const externalUrlOf = (video: CatalogVideo) => external.get(video.id)?.url;
        return serveVideoplayback(req, url, {
          hits,
          hit,
          nowSeconds,
          videoFor,
          fileFor,
          externalUrlOf,
          trickle,
          refuse: (query, end) => strict.mediaRefusal(query, end, hit.address),
        });
      }
      case "manifest":
        return manifest(url.pathname);
      case "thumbnail":
        return serveThumbnail(url.pathname, videoFor);
      case "timedtext":
        return serveTimedtext(url);
    }
    const innertube = (await answerBrowse(req, url)) ?? (await answerInnertube(req, url, videoFor));
    return innertube ?? new Response("not found", { status: 404, headers: { "content-type": "text/plain" } });
  }

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    fetch: (req, bun) => handle(req, bun.requestIP(req)?.address),
  });
  origin = `http://127.0.0.1:${server.port}`;
  return {
    origin,
    port: server.port ?? 0,
    hits,
    media,
    large,
    strict,
    reset() {
      hits.reset();
      extractions.clear();
    },
    stop: () => server.stop(true),
  };
}

type PlayerBody = {
  videoId?: unknown;
  context?: { client?: { clientName?: string; visitorData?: unknown } };
  serviceIntegrityDimensions?: { poToken?: unknown };
};

async function readJson(req: Request): Promise<PlayerBody | undefined> {
  try {
    return (await req.json()) as PlayerBody;
  } catch {
    return undefined; // not JSON: answered like any other unknown request body
  }
}
