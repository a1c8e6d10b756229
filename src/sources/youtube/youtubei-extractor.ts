import { AsyncLocalStorage } from "node:async_hooks";
import type Innertube from "youtubei.js";
import { DowntubeError, UpstreamError } from "../../core/errors.ts";
import { isVerdict } from "./extraction-verdict.ts";
import { verdictOf } from "./playability.ts";
import type { ExtractionAccess, ExtractionFetch, YouTubeExtractor } from "./youtube-extractor.ts";
import { createGuardedEvaluator, type PlayerCodeRunner } from "./youtubei-evaluator.ts";
import { loadYouTubeI, type YouTubeIModule } from "./youtubei-loader.ts";
import { type DecipheredFormat, pick, toVideoInfo } from "./youtubei-mapping.ts";
import { asPlainCall } from "./youtubei-request.ts";

export interface YouTubeIExtractorOptions {
  /** Where the player's decipher code runs once its inputs passed the checks. */
  readonly runPlayerCode: PlayerCodeRunner;
}

type Evaluate = ReturnType<typeof createGuardedEvaluator>;
/** What youtubei.js reaches through process-wide hooks, looked up per extraction. */
interface ExtractionContext {
  readonly fetch: ExtractionFetch;
  readonly evaluate: Evaluate;
}

/**
 * youtubei.js's evaluator is one process-wide hook (`Platform.shim.eval`) while each gateway
 * has its own sandbox: the hook looks up the evaluator of the extraction that called it, so
 * several gateways in one process (as in the tests) never run code in each other's sandbox.
 */
const extractions = new AsyncLocalStorage<ExtractionContext>();
const evaluateForExtraction: Evaluate = (script, env) => {
  const context = extractions.getStore();
  if (context === undefined) throw new UpstreamError("player code was evaluated outside an extraction");
  return context.evaluate(script, env);
};

/** `playabilityStatus.status` values that mean "this video cannot be played here". */
const REFUSED = new Set([
  "ERROR",
  "LOGIN_REQUIRED",
  "UNPLAYABLE",
  "LIVE_STREAM_OFFLINE",
  "AGE_CHECK_REQUIRED",
]);

/**
 * The verdict in a playability status youtubei.js parsed, or undefined when it lets the video
 * play. It keeps `reason` but drops `messages`; older answers only carry the reason on the
 * error screen.
 */
function verdictIn(playability: unknown): DowntubeError | undefined {
  const status = pick(playability, "status");
  if (typeof status !== "string" || !REFUSED.has(status)) return undefined;
  const reason = [pick(playability, "reason"), pick(playability, "error_screen", "reason", "text")].find(
    (value): value is string => typeof value === "string" && value.length > 0,
  );
  return verdictOf(reason ?? "", playability);
}

/** Why youtubei.js refused: a verdict about the video from its playability status, or a failure. */
function fromYouTubeIError(error: unknown): DowntubeError {
  if (error instanceof DowntubeError) return error;
  return (
    verdictIn(pick(error, "info")) ??
    new UpstreamError("could not read this video from YouTube", { cause: error })
  );
}

/**
 * The youtubei.js extractor (`youtubei`): YouTube's InnerTube API (/player and /next, client
 * WEB) and the player script, analysed by youtubei.js, to decipher the media URLs. One session
 * is generated locally (no session or config request) and kept with its parsed player (and
 * so the player id) until an extraction fails, when the next one starts afresh. Every request
 * goes through the extraction's fetch; the player code runs through the guarded evaluator.
 */
export function createYouTubeIExtractor(options: YouTubeIExtractorOptions): YouTubeExtractor {
  const evaluate = createGuardedEvaluator(options.runPlayerCode);
  let session: Promise<Innertube> | undefined;
  // The visitor data and cookies a session was made with: other ones need a session of their own.
  let sessionIdentity = "";

  const fetchForLibrary = async (input: unknown, init?: RequestInit): Promise<Response> => {
    const context = extractions.getStore();
    if (context === undefined) throw new UpstreamError("a YouTube request was made outside an extraction");
    return context.fetch(...(await asPlainCall(input, init)));
  };

  const open = async (lib: YouTubeIModule, access: ExtractionAccess): Promise<Innertube> => {
    lib.Log.setLevel(lib.Log.Level.NONE); // its console output is replaced by the gateway's own log
    lib.Platform.shim.eval = evaluateForExtraction;
    return lib.Innertube.create({
      generate_session_locally: true,
      retrieve_innertube_config: false,
      fetch: fetchForLibrary as typeof globalThis.fetch,
      // youtubei.js sends the visitor data as context.client.visitorData and signs requests
      // with the cookies (SAPISIDHASH) as a signed-in browser does.
      ...(access.visitorData === undefined ? {} : { visitor_data: access.visitorData }),
      ...(access.cookie === undefined ? {} : { cookie: access.cookie }),
    });
  };

  return {
    name: "youtubei",
    async extract(id, fetch, _signal, access = {}) {
      return extractions.run({ fetch, evaluate }, async () => {
        const identity = `${access.visitorData ?? ""}\n${access.cookie ?? ""}`;
        if (identity !== sessionIdentity) session = undefined;
        sessionIdentity = identity;
        const starting = session ?? loadYouTubeI().then((lib) => open(lib, access));
        session = starting;
        try {
          const youtube = await starting;
          // The token goes in serviceIntegrityDimensions.poToken of the /player request.
          const info = await youtube.getInfo(
            id,
            access.poToken === undefined ? undefined : { po_token: access.poToken },
          );
          const verdict = verdictIn(info.playability_status);
          if (verdict !== undefined) throw verdict;
          const player = youtube.session.player;
          const streaming = info.streaming_data;
          const all = [...(streaming?.formats ?? []), ...(streaming?.adaptive_formats ?? [])];
          if (all.length === 0 && info.basic_info.is_live !== true) {
            throw new UpstreamError("YouTube offered no playable format for this video");
          }
          const formats: DecipheredFormat[] = [];
          for (const format of all) formats.push({ format, url: await format.decipher(player) });
          return toVideoInfo(id, info, formats);
        } catch (error) {
          const typed = fromYouTubeIError(error);
          // A session that failed (not a verdict) may hold a player YouTube has replaced.
          if (!isVerdict(typed) && session === starting) session = undefined;
          throw typed;
        }
      });
    },
  };
}
