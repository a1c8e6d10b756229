/**
 * Caption cues as the gateway holds them between a source's format and the file it writes:
 * times in milliseconds and plain text. A source's text is untrusted: `cleanCues` is the one
 * place that turns whatever it sent into cues a caption file can hold.
 */

/** One cue: shown from `startMs` until `endMs` (milliseconds from the start of the video). */
export interface Cue {
  readonly startMs: number;
  readonly endMs: number;
  /** Plain text, lines separated by `\n`, no markup (entities decoded, tags removed). */
  readonly text: string;
}

/** The latest time a cue may end: 100 hours, past any video's length; later is a broken time. */
export const MAX_CUE_MS = 100 * 3600 * 1000;
/** Characters of one cue's text that are kept (a cue is a line or two on a screen). */
export const MAX_CUE_CHARACTERS = 2000;

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** `&amp;`, `&#39;`, `&#x2014;` and the other named entities YouTube writes, as characters. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : "";
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * One cue's text made plain: styling tags (`<i>`, `<font …>`, `<c.color>`, timestamps `<00:01.000>`)
 * removed, entities decoded, control and bidirectional-override characters dropped, blank lines
 * and surrounding spaces removed, capped at {@link MAX_CUE_CHARACTERS}.
 */
export function plainCueText(raw: string): string {
  const text = decodeEntities(raw.replace(/<[^<>]{0,500}>/g, ""))
    .replace(/\r\n?/g, "\n")
    // C0/C1 controls except the line feed, and the bidi overrides that reorder what follows.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g, "");
  const lines = text
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line) => line.length > 0);
  return Array.from(lines.join("\n")).slice(0, MAX_CUE_CHARACTERS).join("");
}

const validTime = (ms: number): boolean => Number.isFinite(ms) && ms >= 0 && ms <= MAX_CUE_MS;

/**
 * Cues fit for a file: each with sane times (finite, not negative, ending after it starts and
 * within {@link MAX_CUE_MS}) and some text left once made plain; sorted by start. A cue that
 * fails is dropped, never guessed at.
 */
export function cleanCues(cues: Iterable<Cue>): Cue[] {
  const kept: Cue[] = [];
  for (const cue of cues) {
    if (!validTime(cue.startMs) || !validTime(cue.endMs) || cue.endMs <= cue.startMs) continue;
    const text = plainCueText(cue.text);
    if (text.length > 0) kept.push({ startMs: Math.round(cue.startMs), endMs: Math.round(cue.endMs), text });
  }
  return kept.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
}
