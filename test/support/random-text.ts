/**
 * Seeded generators of hostile text for the property-style filename tests: a fixed seed makes a
 * failure reproducible without adding a property-testing dependency.
 */

/** Mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces chosen to hit every rule: controls, separators, quotes, bidi, dots, reserved names,
// emoji sequences, RTL letters, combining marks, lone surrogates, compatibility forms.
const PIECES = [
  "a",
  "Z",
  "7",
  " ",
  "  ",
  ".",
  "..",
  "/",
  "\\",
  '"',
  "'",
  "%41",
  "%",
  "\r",
  "\n",
  "\u0000",
  "\t",
  "\u007f",
  "\u0085",
  "<",
  ">",
  ":",
  "|",
  "?",
  "*",
  ";",
  "=",
  "\u202e",
  "\u2066",
  "\u200f",
  "\ufeff",
  "\u00a0",
  "\u2028",
  "CON",
  "nul",
  "LPT1",
  "é",
  "e\u0301",
  "ß",
  "Ø",
  "“quoted”",
  "—",
  "🐱",
  "👨‍👩‍👧",
  "🇯🇵",
  "שלום",
  "مرحبا",
  "日本語",
  "\ud800",
  "\udc00",
  "＂",
  "／",
  "℅",
  "\u0301",
];

/** Concatenates `count` random pieces of hostile text. */
export function randomText(random: () => number, count: number): string {
  let text = "";
  for (let i = 0; i < count; i++) text += PIECES[Math.floor(random() * PIECES.length)];
  return text;
}
