/** The YouTube extractors `DOWNTUBE_YOUTUBE_EXTRACTORS` may name, in no particular order. */
export const EXTRACTOR_NAMES = ["ytdl", "youtubei"] as const;

/** One YouTube extractor's name: `ytdl` (@distube/ytdl-core) or `youtubei` (youtubei.js). */
export type ExtractorName = (typeof EXTRACTOR_NAMES)[number];
