/**
 * The download choices of a video, from its `formats` as the public API lists them (best first):
 * each names what you get ("1080p MP4", "720p WebM", "Audio M4A"), carries the `FormatSelector`
 * that mints it, and its size when known. Pure functions: no DOM, no requests. Runs in the
 * browser; served transpiled to JavaScript.
 */

/** The fields of `Format` the page asks for. */
export interface PageFormat {
  readonly itag: number;
  readonly container: string | null;
  readonly qualityLabel: string | null;
  readonly height: number | null;
  readonly contentLength: number | null;
  readonly hasVideo: boolean;
  readonly hasAudio: boolean;
}

/** One button of the page. */
export interface Choice {
  /** What you get: "1080p MP4", "Audio M4A". */
  readonly label: string;
  /** The `format` of `prepareDownload`'s input. */
  readonly selector: Readonly<Record<string, unknown>>;
  /** The `audio` of `prepareDownload`'s input, for a file the gateway converts (MP3). */
  readonly audio?: Readonly<Record<string, unknown>>;
  /** Size in bytes, when known. */
  readonly bytes: number | null;
  /** True when `bytes` is the sum of a merge's parts rather than the file's exact size. */
  readonly estimated: boolean;
  /** A caption file instead of a format: the `captions` of `prepareDownload`'s input. */
  readonly captions?: { readonly languageCode: string; readonly kind: string };
}

interface VideoChoice extends Choice {
  readonly height: number;
  readonly container: string | null;
}

/** What the container is called on a button. */
const CONTAINER_NAMES: Readonly<Record<string, string>> = { mp4: "MP4", webm: "WebM" };
/** Audio-only MP4 is saved as `.m4a`, and people know it by that name. */
const AUDIO_NAMES: Readonly<Record<string, string>> = { mp4: "M4A", webm: "WebM" };
/** The containers a merge can produce (`FormatKind.MERGED`: mp4 = H.264/AV1 + AAC, webm = VP9/AV1 + Opus). */
const MERGE_CONTAINERS: readonly (string | null)[] = ["mp4", "webm"];

const nameOf = (names: Readonly<Record<string, string>>, container: string | null) =>
  names[container ?? ""] ?? (container ?? "file").toUpperCase();

/** The first (best) format of each key, in order. */
function bestOfEach(formats: readonly PageFormat[], keyOf: (f: PageFormat) => string): PageFormat[] {
  const seen = new Map<string, PageFormat>();
  for (const format of formats) {
    const key = keyOf(format);
    if (!seen.has(key)) seen.set(key, format);
  }
  return [...seen.values()];
}

/** "1080p", "720p60": YouTube's own label when there is one. */
const heightLabel = (format: PageFormat) => format.qualityLabel ?? `${format.height}p`;

/** Formats with picture and sound: one choice per height and container. */
function muxedChoices(formats: readonly PageFormat[]): VideoChoice[] {
  const muxed = formats.filter((f) => f.hasVideo && f.hasAudio && f.height !== null);
  return bestOfEach(muxed, (f) => `${heightLabel(f)} ${f.container}`).map((f) => ({
    label: `${heightLabel(f)} ${nameOf(CONTAINER_NAMES, f.container)}`,
    selector: { itag: f.itag },
    bytes: f.contentLength,
    estimated: false,
    height: f.height ?? 0,
    container: f.container,
  }));
}

/**
 * Heights only offered as video without sound, above the best format with both: the gateway
 * merges the best video up to that height with the best audio of the same container family. The
 * size is the sum of both parts, an estimate (the merged file's container adds a little).
 */
function mergedChoices(formats: readonly PageFormat[]): VideoChoice[] {
  const bestMuxed = Math.max(0, ...formats.filter((f) => f.hasVideo && f.hasAudio).map((f) => f.height ?? 0));
  const audioOf = (container: string | null) =>
    formats.find((f) => f.hasAudio && !f.hasVideo && f.container === container);
  const videoOnly = formats.filter(
    (f) => f.hasVideo && !f.hasAudio && (f.height ?? 0) > bestMuxed && MERGE_CONTAINERS.includes(f.container),
  );
  return bestOfEach(videoOnly, (f) => `${f.height} ${f.container}`).flatMap((f) => {
    const audio = audioOf(f.container);
    if (audio === undefined) return [];
    const bytes =
      f.contentLength !== null && audio.contentLength !== null ? f.contentLength + audio.contentLength : null;
    return [
      {
        label: `${f.height}p ${nameOf(CONTAINER_NAMES, f.container)}`,
        selector: { kind: "MERGED", container: f.container, maxHeight: f.height },
        bytes,
        estimated: true,
        height: f.height ?? 0,
        container: f.container,
      },
    ];
  });
}

/** Sound alone: the best of each container. */
function audioChoices(formats: readonly PageFormat[]): Choice[] {
  const audio = formats.filter((f) => f.hasAudio && !f.hasVideo);
  return bestOfEach(audio, (f) => String(f.container)).map((f) => ({
    label: `Audio ${nameOf(AUDIO_NAMES, f.container)}`,
    selector: { itag: f.itag },
    bytes: f.contentLength,
    estimated: false,
  }));
}

/** The bitrate of the MP3 choice, the gateway's default, in kbit/s. */
const MP3_KBPS = 192;

/**
 * Sound converted to MP3 by the gateway, from its best audio; sized from the length at 192 kbit/s
 * (an estimate: the file is made as it streams).
 */
function mp3Choice(formats: readonly PageFormat[], durationSeconds: number | undefined): Choice[] {
  if (!formats.some((f) => f.hasAudio)) return [];
  const bytes = durationSeconds === undefined ? null : Math.round((durationSeconds * MP3_KBPS * 1000) / 8);
  return [{ label: "Audio MP3", selector: {}, audio: { format: "MP3" }, bytes, estimated: true }];
}

/**
 * Every choice for a video, best first: video by height (MP4 before WebM at the same height),
 * then sound alone in the API's order, then an MP3 the gateway converts. Merged choices only when
 * `merged` is true (the gateway's schema offers `FormatKind.MERGED`).
 * @param formats as `Video.formats` lists them, best first
 * @param durationSeconds the video's length, for the MP3's estimated size
 */
export function downloadChoices(
  formats: readonly PageFormat[],
  { merged, durationSeconds }: { merged: boolean; durationSeconds?: number },
): Choice[] {
  const video = [...(merged ? mergedChoices(formats) : []), ...muxedChoices(formats)];
  const rank = (choice: VideoChoice) => (choice.container === "mp4" ? 0 : 1);
  const bestFirst = (a: VideoChoice, b: VideoChoice) => b.height - a.height || rank(a) - rank(b);
  const bare = ({ label, selector, audio, bytes, estimated }: Choice): Choice => ({
    label,
    selector,
    ...(audio === undefined ? {} : { audio }),
    bytes,
    estimated,
  });
  const sound = [...audioChoices(formats), ...mp3Choice(formats, durationSeconds)];
  return [...video.sort(bestFirst), ...sound].map(bare);
}

/** A byte count for people: "820 KB", "4.2 MB", "1.3 GB" (decimal units, as file managers show). */
export function formatSize(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const shown = unit === 0 || value >= 100 ? Math.round(value) : Number(value.toPrecision(2));
  return `${shown} ${units[unit]}`;
}

/**
 * The size a choice's button shows: "4.2 MB" when the file's size is known, "about 5.3 MB" when
 * it is a merge's estimate (the sum of its parts; the merged file's own size is known only once
 * ffmpeg has made it), null when there is no size to show.
 */
export function choiceSize(choice: Pick<Choice, "bytes" | "estimated">): string | null {
  if (choice.bytes === null) return null;
  return `${choice.estimated ? "about " : ""}${formatSize(choice.bytes)}`;
}

/** A duration as a clock shows it: "0:06", "4:05", "1:02:03". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}

/**
 * A time typed as `m:ss`, `h:mm:ss` or plain seconds (`90`, `1:30`, `1:02:05.5`) in seconds;
 * null when nothing is typed, NaN when what is typed is no time.
 */
export function parseClock(text: string): number | null {
  const typed = text.trim();
  if (typed === "") return null;
  if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(typed)) return Number.NaN;
  return typed.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

/**
 * The `clip` of `prepareDownload` from the page's From / To fields: undefined when both are empty
 * (the whole video), null when what is typed is no time; an empty end is the video's end.
 */
export function clipOf(
  from: string,
  to: string,
  durationSeconds: number,
): { startSeconds: number; endSeconds: number } | null | undefined {
  const start = parseClock(from);
  const end = parseClock(to);
  if (start === null && end === null) return undefined;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return { startSeconds: start ?? 0, endSeconds: end ?? durationSeconds };
}

/** The fields of `CaptionTrack` the page asks for. */
export interface PageCaptionTrack {
  readonly languageCode: string;
  readonly name: string;
  readonly kind: "MANUAL" | "AUTO";
}

/**
 * One "Subtitles" choice per language, as a WebVTT file: the manual track of the language when
 * there is one, else the automatic one, in the API's order.
 */
export function subtitleChoices(captions: readonly PageCaptionTrack[]): Choice[] {
  const byLanguage = new Map<string, PageCaptionTrack>();
  for (const track of captions) {
    const seen = byLanguage.get(track.languageCode);
    if (seen === undefined || (seen.kind === "AUTO" && track.kind === "MANUAL"))
      byLanguage.set(track.languageCode, track);
  }
  return [...byLanguage.values()].map((track) => ({
    label: `Subtitles: ${track.name}`,
    selector: {},
    bytes: null,
    estimated: false,
    captions: { languageCode: track.languageCode, kind: track.kind },
  }));
}
