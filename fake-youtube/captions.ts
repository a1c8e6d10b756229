/**
 * The simulated caption tracks: plain data (one source text per track) that tests read to know
 * what to expect, announced in player responses and served by `/api/timedtext` in the formats
 * YouTube offers (`timedtext.ts`).
 */
/** One cue of a track's source text, in milliseconds. */
export interface FakeCue {
  readonly startMs: number;
  readonly durationMs: number;
  /**
   * Lines separated by `\n`; raw characters (`&`, `<`), escaped by each format as YouTube does,
   * and a styling tag as uploaded files sometimes carry.
   */
  readonly text: string;
}

/** How `/api/timedtext` misbehaves for a hostile track. */
export type HostileBody = "gigabyte" | "not-json" | "silent";

/** One caption track of a simulated video. */
export interface FakeCaptionTrack {
  readonly languageCode: string;
  readonly name: string;
  readonly kind: "manual" | "auto";
  readonly translatable: boolean;
  /** The cues, or, for a hostile track, raw json3 events (any shape) served as they are. */
  readonly cues: readonly FakeCue[];
  readonly rawEvents?: readonly unknown[];
  readonly hostile?: HostileBody;
  /** Announced at this URL instead of the simulated `/api/timedtext` (a track pointing elsewhere). */
  readonly foreignUrl?: string;
}

/** Languages every translatable track translates into. */
export const TRANSLATION_LANGUAGES = [
  { code: "de", name: "German" },
  { code: "fr", name: "French" },
  { code: "ja", name: "Japanese" },
] as const;

/** What a translation into `language` makes of a cue's text (the simulation's "translator"). */
export function translatedText(text: string, language: string): string {
  return `[${language}] ${text}`;
}

/** Ids of the videos that have caption tracks. */
export const CAPTION_VIDEO_IDS = { captions: "Captions001", hostile: "HostileCap1" } as const;

const ENGLISH: readonly FakeCue[] = [
  { startMs: 500, durationMs: 1500, text: "Hello & welcome to the <i>test</i>, where 1 < 2" },
  { startMs: 2500, durationMs: 1500, text: "Two lines\nof text" },
  { startMs: 4000, durationMs: 1750, text: "Café, 東京 🎬" },
];

const GERMAN: readonly FakeCue[] = [
  { startMs: 1000, durationMs: 2000, text: "Hallo Welt" },
  { startMs: 3000, durationMs: 2000, text: "Zweite Zeile" },
];

const AUTOMATIC: readonly FakeCue[] = [
  { startMs: 0, durationMs: 2500, text: "this is automatic" },
  { startMs: 2500, durationMs: 2500, text: "speech recognition text" },
];

/** A cue that breaks every rule a caption file has, next to a normal one. */
const HOSTILE_EVENTS: readonly unknown[] = [
  { tStartMs: -5000, dDurationMs: 1000, segs: [{ utf8: "negative start" }] },
  { tStartMs: "soon", dDurationMs: 1000, segs: [{ utf8: "not a number" }] },
  { tStartMs: 1e300, dDurationMs: 1e300, segs: [{ utf8: "far beyond any video" }] },
  { tStartMs: 100, dDurationMs: 0, segs: [{ utf8: "no duration" }] },
  { tStartMs: 200, dDurationMs: 800, segs: [{ utf8: "control\u0000\u0007\u001b[31m characters\u202e" }] },
  { tStartMs: 1000, dDurationMs: 1000, segs: [{ utf8: "an arrow --> inside\n\n\nand blank lines" }] },
  { tStartMs: 2000, dDurationMs: 1000, segs: [{ utf8: "<script>alert(1)</script>tags &amp; entities" }] },
  { tStartMs: 3000, dDurationMs: 1000, segs: [{ utf8: "x".repeat(300_000) }] },
  { tStartMs: 4000, dDurationMs: 1000, segs: "not a list" },
  { tStartMs: 5000, dDurationMs: 1000, segs: [{ utf8: "the normal cue" }] },
];

/** Caption tracks by video id. */
export const CAPTION_TRACKS: Readonly<Record<string, readonly FakeCaptionTrack[]>> = {
  [CAPTION_VIDEO_IDS.captions]: [
    { languageCode: "en", name: "English", kind: "manual", translatable: true, cues: ENGLISH },
    { languageCode: "de", name: "Deutsch", kind: "manual", translatable: false, cues: GERMAN },
    {
      languageCode: "en",
      name: "English (auto-generated)",
      kind: "auto",
      translatable: true,
      cues: AUTOMATIC,
    },
  ],
  [CAPTION_VIDEO_IDS.hostile]: [
    {
      languageCode: "en",
      name: "Broken",
      kind: "manual",
      translatable: false,
      cues: [],
      rawEvents: HOSTILE_EVENTS,
    },
    {
      languageCode: "fr",
      name: "Endless",
      kind: "manual",
      translatable: false,
      cues: [],
      hostile: "gigabyte",
    },
    {
      languageCode: "es",
      name: "Not captions",
      kind: "manual",
      translatable: false,
      cues: [],
      hostile: "not-json",
    },
    {
      languageCode: "it",
      name: "Elsewhere",
      kind: "manual",
      translatable: false,
      cues: [],
      foreignUrl: "http://169.254.169.254/latest/meta-data/?lang=it",
    },
    { languageCode: "pt", name: "Silent", kind: "manual", translatable: false, cues: [], hostile: "silent" },
  ],
};

/** The query that names one track on `/api/timedtext` (YouTube's `v`, `lang`, `kind=asr`). */
export function trackQuery(videoId: string, track: FakeCaptionTrack): string {
  const kind = track.kind === "auto" ? "&kind=asr" : "";
  return `v=${videoId}&caps=asr&xoaf=5&hl=en&ip=0.0.0.0&ipbits=0&sparams=ip,ipbits&lang=${track.languageCode}${kind}`;
}

/** The tracks of a video (none for most). */
export function captionTracksOf(videoId: string): readonly FakeCaptionTrack[] {
  return CAPTION_TRACKS[videoId] ?? [];
}
