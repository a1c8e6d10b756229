import {
  avoidWindowsReservedName,
  FALLBACK_FILENAME_STEM,
  MAX_FILENAME_STEM_BYTES,
  sanitizeFilenameStem,
} from "./filename.ts";

/** Whether the browser should save the download (`attachment`) or show it in place (`inline`). */
export type Disposition = "attachment" | "inline";

// Letters whose NFKD form does not decompose to ASCII but that have a conventional spelling.
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ß: "ss",
  æ: "ae",
  Æ: "AE",
  ø: "o",
  Ø: "O",
  œ: "oe",
  Œ: "OE",
  ł: "l",
  Ł: "L",
  đ: "d",
  Đ: "D",
  ð: "d",
  Ð: "D",
  þ: "th",
  Þ: "Th",
  ı: "i",
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u201b": "'",
  "\u2032": "'",
  "\u201c": "'",
  "\u201d": "'",
  "\u201e": "'",
  "\u201f": "'",
  "\u2033": "'",
  "«": "'",
  "»": "'",
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2015": "-",
  "\u2212": "-",
};
const TRANSLITERABLE = new RegExp(`[${Object.keys(TRANSLITERATIONS).join("")}]`, "gu");
const EXTENSION = /\.([A-Za-z0-9]{1,10})$/;

/**
 * Builds a `Content-Disposition` header value (RFC 6266) for a download, e.g.
 * `attachment; filename="Cafe.mp4"; filename*=UTF-8''Caf%C3%A9.mp4`.
 *
 * Modern clients read `filename*` (RFC 8187/5987: UTF-8, percent-encoded outside attr-char);
 * older ones read the quoted `filename`, an ASCII fallback: accents and common typographic
 * characters transliterated, everything else non-ASCII dropped, `%` replaced by `_` (RFC 6266
 * appendix D), {@link FALLBACK_FILENAME_STEM} when no ASCII is left.
 *
 * The stem is passed through {@link sanitizeFilenameStem} again (a no-op for names from
 * `buildFilename`), so any input yields a safe name. The value never contains control characters
 * (CR, LF, NUL) or non-ASCII bytes, whatever `filename` holds. Never throws.
 *
 * @param disposition `attachment` to save, `inline` to display.
 * @param filename the full filename with its extension, ideally from `buildFilename`.
 */
export function formatContentDisposition(disposition: Disposition, filename: string): string {
  const { stem, extension } = splitExtension(filename);
  const safe = sanitizeFilenameStem(stem) + extension;
  return `${disposition}; filename="${asciiFallback(safe)}"; filename*=UTF-8''${encodeRfc8187(safe)}`;
}

/**
 * The ASCII-only fallback for the quoted `filename` parameter, described at
 * {@link formatContentDisposition}. Never contains `"`, `\`, `%`, control or non-ASCII characters.
 */
export function asciiFallback(filename: string): string {
  const { stem, extension } = splitExtension(filename);
  const ascii = stem
    .replace(TRANSLITERABLE, (char) => TRANSLITERATIONS[char] ?? "")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    // After NFKD: compatibility forms decompose to ASCII punctuation (`＂` → `"`, `℅` → `c/o`).
    .replace(/[<>:"/\\|?*]/g, " ")
    .replace(/%/g, "_")
    .replace(/[^\x20-\x7e]/g, "")
    .replace(/ +/g, " ")
    .slice(0, MAX_FILENAME_STEM_BYTES)
    .replace(/^[. ]+|[. ]+$/g, "");
  return avoidWindowsReservedName(ascii === "" ? FALLBACK_FILENAME_STEM : ascii) + extension;
}

/** `UTF-8` value of an RFC 8187 `ext-value`: every byte outside attr-char percent-encoded. */
function encodeRfc8187(text: string): string {
  // encodeURIComponent leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) alone; * ' ( ) are not attr-char.
  return encodeURIComponent(text.toWellFormed()).replace(
    /[*'()]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function splitExtension(filename: string): { stem: string; extension: string } {
  const match = EXTENSION.exec(filename);
  if (match === null) return { stem: filename, extension: "" };
  return { stem: filename.slice(0, match.index), extension: match[0] };
}
