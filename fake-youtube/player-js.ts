/**
 * The simulated html5player (`base.js`) and the server-side twins of its two transforms.
 *
 * ytdl-core 4.16.12 (`lib/sig.js`) does not run the player: it cuts three pieces out of it with
 * regular expressions and runs them in a `vm` context. The script below is shaped so each cut
 * succeeds:
 * 1. a global string table first (`var X="…".split(";")`): without one, `extractFunctions`
 *    destructures `undefined` and every format is dropped ("No playable formats found");
 * 2. a helper object of reverse/splice/swap functions plus a decipher function
 *    `function(a){a=a.split("");H.xx(a,N);…;return a.join("")}` (the pre-2024 "helper" style);
 * 3. an n-transform `function(a){var b=a.split(""),c=[…];c[N]=…;try{…}catch(d){return"…"+a}
 *    return b.join("")};`.
 * The same operations are implemented here in TypeScript so `/videoplayback` can tell whether the
 * client really ran the decipher and n-transform.
 */
import { createHash } from "node:crypto";

/** Version segment of the synthetic player's path. */
export const PLAYER_VERSION = "dt0c0ffe";

/** Path (as YouTube writes it in `"jsUrl"`) of the synthetic player. */
export const PLAYER_JS_PATH = `/s/player/${PLAYER_VERSION}/player_ias.vflset/en_US/base.js`;

/** `signatureTimestamp` the player declares (ytdl-core sends it in youtubei playback contexts). */
export const SIGNATURE_TIMESTAMP = 20073;

type SignatureOp = { op: "reverse" } | { op: "splice"; n: number } | { op: "swap"; n: number };

/** The decipher recipe, applied in order to the scrambled `s` to get the real `sig`. */
const SIGNATURE_OPS: readonly SignatureOp[] = [
  { op: "swap", n: 7 },
  { op: "reverse" },
  { op: "splice", n: 3 },
  { op: "swap", n: 23 },
  { op: "reverse" },
  { op: "splice", n: 2 },
  { op: "swap", n: 41 },
];

const HELPER_KEYS = { reverse: "Rv", splice: "Sp", swap: "Sw" } as const;

/** URL-safe alphabet used for signatures, n values and the n-transform's substitution step. */
const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
const N_SHIFT = 7;

function swap(chars: string[], n: number): void {
  const i = n % chars.length;
  const first = chars[0] as string;
  chars[0] = chars[i] as string;
  chars[i] = first;
}

/** Deciphers a scrambled signature exactly as the synthetic player's decipher function does. */
export function decipherSignature(scrambled: string): string {
  const chars = scrambled.split("");
  for (const step of SIGNATURE_OPS) {
    if (step.op === "reverse") chars.reverse();
    else if (step.op === "splice") chars.splice(0, step.n);
    else swap(chars, step.n);
  }
  return chars.join("");
}

/**
 * Scrambles a signature so that {@link decipherSignature} gives it back: the inverse steps in
 * reverse order; each `splice(0, n)` is undone by prepending `n` filler characters.
 */
export function encipherSignature(signature: string): string {
  const chars = signature.split("");
  for (const step of [...SIGNATURE_OPS].reverse()) {
    if (step.op === "reverse") chars.reverse();
    else if (step.op === "splice") chars.unshift(..."xQz_-AbC9".slice(0, step.n).split(""));
    else swap(chars, step.n);
  }
  return chars.join("");
}

function mod(n: number, length: number): number {
  return ((n % length) + length) % length;
}

/**
 * The n-parameter transform of the synthetic player: swap 5, reverse, rotate right by -3,
 * substitute every alphabet character by the one 7 places further, swap 11.
 */
export function transformN(n: string): string {
  const b = n.split("");
  const swapN = (e: number): void => {
    const i = mod(e, b.length);
    const f = b[0] as string;
    b[0] = b[i] as string;
    b[i] = f;
  };
  swapN(5);
  b.reverse();
  const r = mod(-3, b.length);
  b.unshift(...b.splice(b.length - r, r));
  for (let i = 0; i < b.length; i++) {
    const at = ALPHABET.indexOf(b[i] as string);
    if (at >= 0) b[i] = ALPHABET.charAt((at + N_SHIFT) % 64);
  }
  swapN(11);
  return b.join("");
}

function base64url(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/** The valid `sig` of a media URL: deterministic in the video id, itag and expiry. */
export function expectedSignature(videoId: string, itag: number, expire: number): string {
  return base64url(`sig.${videoId}.${itag}.${expire}`).slice(0, 44);
}

/** The `n` a player response hands out for a ciphered media URL (before the transform). */
export function originalN(videoId: string, itag: number): string {
  return base64url(`n.${videoId}.${itag}`).slice(0, 16);
}

function signatureCall(step: SignatureOp): string {
  const n = step.op === "reverse" ? 0 : step.n;
  return `Hx.${HELPER_KEYS[step.op]}(a,${n});`;
}

/** Source of the decipher function (`s` → `sig`), calling the `Hx` helpers of {@link HELPERS_SOURCE}. */
export const DECIPHER_SOURCE = `function(a){a=a.split("");${SIGNATURE_OPS.map(signatureCall).join("")}return a.join("")}`;

/** Source of the n-transform function, `;` included. */
export const N_TRANSFORM_SOURCE =
  'function(a){var b=a.split(""),c=[' +
  "function(d,e){e=(e%d.length+d.length)%d.length;var f=d[0];d[0]=d[e];d[e]=f}," +
  "function(d){d.reverse()}," +
  "function(d,e){e=(e%d.length+d.length)%d.length;d.unshift.apply(d,d.splice(d.length-e,e))}," +
  `function(d){for(var e=0;e<d.length;e++){var f="${ALPHABET}".indexOf(d[e]);` +
  `if(f>=0)d[e]="${ALPHABET}".charAt((f+${N_SHIFT})%64)}},` +
  "null,5,-3,11];c[4]=b;" +
  "try{c[0](c[4],c[5]);c[1](c[4]);c[2](c[4],c[6]);c[3](c[4]);c[0](c[4],c[7])}" +
  'catch(g){return"enhanced_except_dtFake-_"+a}return b.join("")};';

/** Source of the `Hx` helper object the decipher function calls (reverse, splice, swap). */
export const HELPERS_SOURCE = [
  "var Hx={Rv:function(a){a.reverse()},",
  "Sp:function(a,b){a.splice(0,b)},",
  "Sw:function(a,b){var c=a[0];a[0]=a[b%a.length];a[b%a.length]=c}};",
].join("\n");

/** The synthetic `base.js` source text. */
export function playerJs(): string {
  return [
    "/* downtube simulated YouTube html5player: only the parts ytdl-core looks for. */",
    `var Qz="reverse;splice;length;join;split;signatureTimestamp".split(";");`,
    "var _yt_player={};",
    "(function(g){",
    HELPERS_SOURCE,
    `var Zt=${DECIPHER_SOURCE};`,
    `var Wq=${N_TRANSFORM_SOURCE}`,
    `g.config={signatureTimestamp:${SIGNATURE_TIMESTAMP},sts:${SIGNATURE_TIMESTAMP}};`,
    "g.decipher=Zt;g.ntransform=Wq;",
    "})(_yt_player);",
    "",
  ].join("\n");
}
