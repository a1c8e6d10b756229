import type { ExtractorName } from "../../core/extractor-names.ts";
import type { YouTubeExtractor } from "./youtube-extractor.ts";
import type { PlayerCodeRunner } from "./youtubei-evaluator.ts";
import { createYouTubeIExtractor } from "./youtubei-extractor.ts";
import { createYtdlExtractor } from "./ytdl-extractor.ts";

/**
 * The extractors named by `DOWNTUBE_YOUTUBE_EXTRACTORS`, in the order given (the fallback
 * order). `runPlayerCode` is where youtubei.js's checked player code runs (the sandbox process).
 */
export function createYouTubeExtractors(
  names: readonly ExtractorName[],
  deps: { readonly runPlayerCode: PlayerCodeRunner },
): YouTubeExtractor[] {
  return names.map((name) =>
    name === "ytdl" ? createYtdlExtractor() : createYouTubeIExtractor({ runPlayerCode: deps.runPlayerCode }),
  );
}
