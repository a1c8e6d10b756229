/** Stem used when a title sanitises to nothing (empty, only dots, only control characters…). */
export const FALLBACK_FILENAME_STEM = "video";

/** Longest stem, in UTF-8 bytes: leaves room for an extension under the common 255-byte limit. */
export const MAX_FILENAME_STEM_BYTES = 200;

// Essence of a MIME type → file extension. Audio-only MP4 is `m4a` so players treat it as audio.
const EXTENSIONS: Readonly<Record<string, string>> = {
  "video/mp4": "mp4",
  "audio/mp4": "m4a",
  "video/webm": "webm",
  "audio/webm": "webm",
  "video/3gpp": "3gp",
  "audio/3gpp": "3gp",
  "video/x-flv": "flv",
  "video/quicktime": "mov",
  "video/x-matroska": "mkv",
  "audio/x-matroska": "mka",
  "video/ogg": "ogv",
  "audio/ogg": "ogg",
  "audio/opus": "opus",
  "audio/mpeg": "mp3",
  "audio/aac": "aac",
  "audio/flac": "flac",
  "audio/wav": "wav",
  "video/mp2t": "ts",
};

/** Every extension this module produces, for stripping a user-typed one off a filename override. */
const KNOWN_EXTENSIONS = new Set([...Object.values(EXTENSIONS), "bin"]);

/**
 * The file extension (without dot) for a media MIME type, so a download's filename follows its
 * container: `video/mp4; codecs="…"` → `mp4`, `audio/mp4` → `m4a`, `audio/webm` → `webm`.
 * Parameters and case are ignored; an unknown type gives `bin`.
 */
export function extensionForMimeType(mimeType: string): string {
  return EXTENSIONS[essenceOf(mimeType)] ?? "bin";
}

/** The media type without parameters: `video/mp4; codecs="…"` → `video/mp4`. */
export function essenceOf(mimeType: string): string {
  return (mimeType.split(";")[0] ?? mimeType).trim().toLowerCase();
}

// C0/C1 controls and DEL; reserved on Windows or path-significant: < > : " / \ | ? *
const FORBIDDEN = /[\p{Cc}<>:"/\\|?*]/gu;
// Bidi controls (ALM, LRM, RLM, embeddings/overrides, isolates): they can disguise an extension
// (`gpj.exe` shown as `exe.jpg`). Ordinary RTL letters are kept. Also BOM and lone surrogates.
// Zero-width space, word joiner and soft hyphen are dropped too; ZWJ/ZWNJ stay (emoji, Persian).
const INVISIBLE = /[\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]|\p{Cs}/gu;
const WHITESPACE = /\s+/gu;
const EDGE_DOTS_AND_SPACES = /^[. ]+|[. ]+$/g;
// Device names Windows reserves even with an extension (`CON.mp4`) or trailing spaces.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?=\s*(\.|$))/i;

/**
 * Turns any text (a video title, a user's filename override) into a safe, readable filename
 * stem (no extension) for every common file system and for HTTP headers:
 * - control characters (CR, LF, NUL…) and `< > : " / \ | ? *` replaced by spaces; bidi controls,
 *   zero-width characters, BOM and lone surrogates removed; Unicode NFC; whitespace runs collapsed
 *   to one space;
 * - dots and spaces trimmed at both ends (no hidden files, no `..`, no trailing dot on Windows);
 * - Windows device names (`CON`, `nul.txt`, `COM1`, `LPT9`…) suffixed with `_`;
 * - capped at {@link MAX_FILENAME_STEM_BYTES} UTF-8 bytes on a grapheme boundary;
 * - {@link FALLBACK_FILENAME_STEM} when nothing is left.
 * Idempotent: sanitising a sanitised stem returns it unchanged. Never throws.
 */
export function sanitizeFilenameStem(text: string): string {
  const cleaned = text
    // Removal first: dropping a character can bring a letter and a combining mark together.
    .replace(INVISIBLE, "")
    .normalize("NFC")
    .replace(FORBIDDEN, " ")
    .replace(WHITESPACE, " ")
    .replace(EDGE_DOTS_AND_SPACES, "");
  // Suffix reserved names before capping so the `_` cannot push the stem past the cap, and again
  // after, because a cut can expose one (`CON ` + an oversized grapheme → `CON`).
  const capped = capUtf8Bytes(avoidWindowsReservedName(cleaned), MAX_FILENAME_STEM_BYTES).replace(
    EDGE_DOTS_AND_SPACES,
    "",
  );
  if (capped === "") return FALLBACK_FILENAME_STEM;
  return avoidWindowsReservedName(capped);
}

/**
 * Suffixes a Windows device name (`CON`, `PRN`, `AUX`, `NUL`, `COM0-9`, `LPT0-9`, also followed
 * by an extension, any case) with `_` so the file can be saved: `con.tar` → `con_.tar`.
 * Other names are returned unchanged.
 */
export function avoidWindowsReservedName(name: string): string {
  return name.replace(WINDOWS_RESERVED, "$1_");
}

/**
 * The download filename for a title (or a user's override) and an extension from
 * {@link extensionForMimeType}: `sanitizeFilenameStem(title) + "." + extension`. A trailing media
 * extension the user typed (`clip.webm`) is dropped first, so the extension always follows the
 * container and never doubles (`clip.mp4`, not `clip.webm.mp4`).
 *
 * @throws RangeError when `extension` is not 1–10 ASCII letters or digits (a caller bug).
 */
export function buildFilename(title: string, extension: string): string {
  if (!/^[a-z0-9]{1,10}$/i.test(extension)) {
    throw new RangeError(`invalid file extension: ${JSON.stringify(extension)}`);
  }
  const typed = /\.([a-z0-9]{1,10})\s*$/i.exec(title);
  const withoutTyped =
    typed?.[1] !== undefined && KNOWN_EXTENSIONS.has(typed[1].toLowerCase())
      ? title.slice(0, typed.index)
      : title;
  return `${sanitizeFilenameStem(withoutTyped)}.${extension.toLowerCase()}`;
}

const encoder = new TextEncoder();
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Longest prefix of `text` of at most `maxBytes` UTF-8 bytes that ends on a grapheme boundary,
 * so an emoji sequence or an accented letter is never cut in half. A single grapheme larger
 * than the cap (a "zalgo" cluster) is cut between code points instead.
 */
function capUtf8Bytes(text: string, maxBytes: number): string {
  if (encoder.encode(text).length <= maxBytes) return text;
  let kept = "";
  let bytes = 0;
  // Every code unit is at least one byte, so no prefix longer than maxBytes units can fit.
  for (const { segment } of graphemes.segment(text.slice(0, maxBytes + 64))) {
    const size = encoder.encode(segment).length;
    if (bytes + size > maxBytes) {
      if (kept === "") return capCodePoints(segment, maxBytes);
      break;
    }
    kept += segment;
    bytes += size;
  }
  return kept;
}

function capCodePoints(text: string, maxBytes: number): string {
  let kept = "";
  let bytes = 0;
  for (const codePoint of text) {
    const size = encoder.encode(codePoint).length;
    if (bytes + size > maxBytes) break;
    kept += codePoint;
    bytes += size;
  }
  return kept;
}
