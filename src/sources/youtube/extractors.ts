import type { ExtractorName } from "../../config.ts";
import type { YouTubeExtractor } from "./extractor.ts";
import { runInProcess } from "./youtubei-evaluator.ts";
import { createYouTubeIExtractor } from "./youtubei-extractor.ts";
import { createYtdlExtractor } from "./ytdl-extractor.ts";

/** The extractors named by `DOWNTUBE_YOUTUBE_EXTRACTORS`, in the order given (the fallback order). */
export function createYouTubeExtractors(names: readonly ExtractorName[]): YouTubeExtractor[] {
  return names.map((name) => {
    if (name === "ytdl") return createYtdlExtractor();
    return createYouTubeIExtractor({ runPlayerCode: runInProcess });
  });
}
