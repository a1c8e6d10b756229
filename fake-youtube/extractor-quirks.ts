/**
 * Videos that tell the two extractors apart, kept beside the catalog (same shape, own ids):
 * one whose watch page fails (only youtubei.js, which never reads it, can extract it), one
 * whose InnerTube WEB /player answer fails (only ytdl-core, which reads formats from the watch
 * page, can), and hostile ones whose /player answer carries an `n` or `s` crafted to run code
 * in an evaluator that splices it in unchecked.
 */
import { type CatalogVideo, catalogVideo, VIDEO_IDS } from "./catalog.ts";
import type { Json } from "./player-response.ts";

/** Ids of the extractor-specific videos, by role. */
export const QUIRK_VIDEO_IDS = {
  /** Watch page answers 500; InnerTube works. Ciphered, so youtubei.js must decipher. */
  watchPageBroken: "NoWatch0001",
  /** InnerTube WEB /player answers 500; the watch page works. */
  innertubeBroken: "NoInnerT001",
  /** Every format's `n` is a piece of JavaScript that sets `globalThis.downtubeCraftedN`. */
  craftedN: "CraftedN001",
  /** Every format's `s` is a piece of JavaScript that sets `globalThis.downtubeCraftedS`. */
  craftedS: "CraftedS001",
} as const;

/** The code a crafted `n` / `s` carries: it breaks out of a string literal if spliced unescaped. */
export const CRAFTED_N = '"+(globalThis.downtubeCraftedN=1)+"';
export const CRAFTED_S = '"+(globalThis.downtubeCraftedS=1)+"';

function like(base: string, id: string, purpose: string): CatalogVideo {
  const model = catalogVideo(base);
  if (model === undefined) throw new Error(`no catalog video ${base}`);
  return { ...model, id, purpose, title: `downtube fake video ${id}`, expectedError: undefined };
}

/** Every extractor-specific video. */
export const QUIRK_VIDEOS: readonly CatalogVideo[] = [
  like(VIDEO_IDS.cipher, QUIRK_VIDEO_IDS.watchPageBroken, "watch page 500, InnerTube fine: only youtubei.js"),
  like(VIDEO_IDS.plain, QUIRK_VIDEO_IDS.innertubeBroken, "InnerTube WEB /player 500: only ytdl-core"),
  like(VIDEO_IDS.cipher, QUIRK_VIDEO_IDS.craftedN, "crafted n in the /player answer (code injection)"),
  like(VIDEO_IDS.cipher, QUIRK_VIDEO_IDS.craftedS, "crafted s in the /player answer (code injection)"),
];
const BY_ID = new Map(QUIRK_VIDEOS.map((video) => [video.id, video]));

/** The extractor-specific video of `id`, or undefined. */
export function quirkVideo(id: string): CatalogVideo | undefined {
  return BY_ID.get(id);
}

/** True when the watch page of `id` must fail (HTTP 500). */
export function watchPageFails(id: string): boolean {
  return id === QUIRK_VIDEO_IDS.watchPageBroken;
}

/** True when the InnerTube /player answer for `id` asked by `clientName` must fail (HTTP 500). */
export function innertubePlayerFails(id: string, clientName: string | undefined): boolean {
  return id === QUIRK_VIDEO_IDS.innertubeBroken && clientName === "WEB";
}

/** Puts the crafted `n` / `s` into a player response's format URLs (other videos: unchanged). */
export function craftPlayerResponse(id: string, response: { [key: string]: Json }): { [key: string]: Json } {
  if (id !== QUIRK_VIDEO_IDS.craftedN && id !== QUIRK_VIDEO_IDS.craftedS) return response;
  const text = JSON.stringify(response);
  const parsed = JSON.parse(text) as { streamingData?: { formats?: Json[]; adaptiveFormats?: Json[] } };
  const formats = [
    ...(parsed.streamingData?.formats ?? []),
    ...(parsed.streamingData?.adaptiveFormats ?? []),
  ];
  for (const format of formats) {
    if (typeof format !== "object" || format === null || Array.isArray(format)) continue;
    const cipher = new URLSearchParams(String(format.signatureCipher ?? ""));
    if (id === QUIRK_VIDEO_IDS.craftedS) cipher.set("s", CRAFTED_S);
    else {
      const url = new URL(cipher.get("url") ?? "");
      url.searchParams.set("n", CRAFTED_N);
      cipher.set("url", url.toString());
    }
    format.signatureCipher = cipher.toString();
  }
  return parsed as { [key: string]: Json };
}
