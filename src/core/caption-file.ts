import type { Cue } from "./caption-cues.ts";

/** The caption file formats the gateway writes. */
export type CaptionFormat = "vtt" | "srt";

/** The Content-Type of each format: always UTF-8. */
export const CAPTION_CONTENT_TYPES: Readonly<Record<CaptionFormat, string>> = {
  vtt: "text/vtt; charset=utf-8",
  srt: "application/x-subrip; charset=utf-8",
};

/** `hh:mm:ss.mmm` (WebVTT) or `hh:mm:ss,mmm` (SubRip). */
function timestamp(ms: number, separator: "." | ","): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${separator}${pad(ms % 1000, 3)}`;
}

/** Text a WebVTT cue can hold as it is: `&`, `<` and `>` escaped (so `-->` cannot end up there either). */
const vttText = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A WebVTT file: the `WEBVTT` header, then each cue as its timing line and its lines, no cue
 * numbers. Expects cues from `cleanCues` (plain text, no blank lines).
 */
export function formatVtt(cues: readonly Cue[]): string {
  const blocks = cues.map(
    (cue) => `${timestamp(cue.startMs, ".")} --> ${timestamp(cue.endMs, ".")}\n${vttText(cue.text)}`,
  );
  return `WEBVTT\n\n${blocks.map((block) => `${block}\n\n`).join("")}`;
}

/** SubRip has no escapes: a text line holding `-->` would read as a timing line, so it is shortened. */
const srtText = (text: string): string => text.replace(/-->/g, "->");

/**
 * A SubRip file: numbered cues from 1, `,` before the milliseconds, plain text (no tags, no
 * entities). Expects cues from `cleanCues`.
 */
export function formatSrt(cues: readonly Cue[]): string {
  return cues
    .map(
      (cue, i) =>
        `${i + 1}\n${timestamp(cue.startMs, ",")} --> ${timestamp(cue.endMs, ",")}\n${srtText(cue.text)}\n\n`,
    )
    .join("");
}

/** A caption file in `format`. */
export function formatCaptions(cues: readonly Cue[], format: CaptionFormat): string {
  return format === "vtt" ? formatVtt(cues) : formatSrt(cues);
}
