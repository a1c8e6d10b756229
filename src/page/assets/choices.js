/**
 * The download choices of a video, from its `formats` as the public API lists them (best first):
 * each names what you get ("1080p MP4", "720p WebM", "Audio M4A"), carries the `FormatSelector`
 * that mints it, and its size when known. Pure functions: no DOM, no requests.
 */

/** What the container is called on a button. */
const CONTAINER_NAMES = { mp4: "MP4", webm: "WebM" };
/** Audio-only MP4 is saved as `.m4a`, and people know it by that name. */
const AUDIO_NAMES = { mp4: "M4A", webm: "WebM" };
/** The audio container that goes with a video container in a merge (see `FormatKind.MERGED`). */
const MERGE_CONTAINERS = ["mp4", "webm"];

const nameOf = (names, container) => names[container] ?? String(container ?? "file").toUpperCase();

/**
 * @typedef {{ itag: number, container: string | null, qualityLabel: string | null, height: number | null,
 *   fps: number | null, contentLength: number | null, hasVideo: boolean, hasAudio: boolean }} Format
 * @typedef {{ label: string, selector: Record<string, unknown>, bytes: number | null, estimated: boolean }} Choice
 */

/** The first (best) format of each key, in order. */
function bestOfEach(formats, keyOf) {
  const seen = new Map();
  for (const format of formats) {
    const key = keyOf(format);
    if (!seen.has(key)) seen.set(key, format);
  }
  return [...seen.values()];
}

/** "1080p", "720p60": YouTube's own label when there is one. */
const heightLabel = (format) => format.qualityLabel ?? `${format.height}p`;

/** Formats with picture and sound: one choice per height and container. */
function muxedChoices(formats) {
  const muxed = formats.filter((f) => f.hasVideo && f.hasAudio && f.height !== null);
  return bestOfEach(muxed, (f) => `${heightLabel(f)} ${f.container}`).map((f) => ({
    label: `${heightLabel(f)} ${nameOf(CONTAINER_NAMES, f.container)}`,
    selector: { itag: f.itag },
    bytes: f.contentLength,
    estimated: false,
    height: f.height,
    container: f.container,
  }));
}

/**
 * Heights only offered as video without sound, above the best format with both: the gateway
 * merges the best video of that height with the best audio of the same container family. The
 * size is the sum of both parts, an estimate (the merged file's container adds a little).
 */
function mergedChoices(formats) {
  const muxedHeights = formats.filter((f) => f.hasVideo && f.hasAudio).map((f) => f.height ?? 0);
  const bestMuxed = Math.max(0, ...muxedHeights);
  const audioOf = (container) => formats.find((f) => f.hasAudio && !f.hasVideo && f.container === container);
  const videoOnly = formats.filter(
    (f) => f.hasVideo && !f.hasAudio && (f.height ?? 0) > bestMuxed && MERGE_CONTAINERS.includes(f.container),
  );
  return bestOfEach(videoOnly, (f) => `${f.height} ${f.container}`)
    .filter((f) => audioOf(f.container) !== undefined)
    .map((f) => {
      const audio = audioOf(f.container);
      const bytes =
        f.contentLength !== null && audio?.contentLength != null
          ? f.contentLength + audio.contentLength
          : null;
      return {
        label: `${f.height}p ${nameOf(CONTAINER_NAMES, f.container)}`,
        selector: { kind: "MERGED", container: f.container, maxHeight: f.height },
        bytes,
        estimated: true,
        height: f.height,
        container: f.container,
      };
    });
}

/** Sound alone: the best of each container. */
function audioChoices(formats) {
  const audio = formats.filter((f) => f.hasAudio && !f.hasVideo);
  return bestOfEach(audio, (f) => f.container).map((f) => ({
    label: `Audio ${nameOf(AUDIO_NAMES, f.container)}`,
    selector: { itag: f.itag },
    bytes: f.contentLength,
    estimated: false,
  }));
}

/**
 * Every choice for a video, best first: video by height (MP4 before WebM at the same height),
 * then audio alone. Merged choices only when `merged` (the gateway offers `FormatKind.MERGED`).
 * @param {Format[]} formats as `Video.formats` lists them, best first
 * @param {{ merged: boolean }} options
 * @returns {Choice[]}
 */
export function downloadChoices(formats, { merged }) {
  const video = [...(merged ? mergedChoices(formats) : []), ...muxedChoices(formats)];
  const rank = (choice) => (choice.container === "mp4" ? 0 : 1);
  const bestFirst = (a, b) => b.height - a.height || rank(a) - rank(b);
  const bare = ({ label, selector, bytes, estimated }) => ({ label, selector, bytes, estimated });
  return [...video.sort(bestFirst), ...audioChoices(formats)].map(bare);
}

/**
 * A byte count for people: "820 KB", "4.2 MB", "1.3 GB" (decimal units, as file managers show).
 * @param {number} bytes
 */
export function formatSize(bytes) {
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
 * A duration as a clock shows it: "0:06", "4:05", "1:02:03".
 * @param {number} seconds
 */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n) => String(n).padStart(2, "0");
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}
