import type { Cue } from "../../core/caption-cues.ts";
import { UpstreamError } from "../../core/errors.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A json3 event's text: its segments' `utf8` joined (automatic tracks split words into segments). */
function eventText(segs: unknown): string {
  if (!Array.isArray(segs)) return "";
  return segs.map((seg) => (isObject(seg) && typeof seg.utf8 === "string" ? seg.utf8 : "")).join("");
}

/**
 * The cues of a `timedtext` answer in `fmt=json3`: each event with text, from `tStartMs` for
 * `dDurationMs`. Window events (no `segs`) and the "\n" append events of automatic tracks carry
 * no text and are skipped. Times that are not numbers stay `NaN`, for `cleanCues` to drop.
 * Throws `UpstreamError` when the text is not a json3 document.
 */
export function parseJson3(text: string): Cue[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UpstreamError("YouTube sent a caption track that is not JSON", { cause: error });
  }
  if (!isObject(document) || !Array.isArray(document.events)) {
    throw new UpstreamError("YouTube sent a caption track without events");
  }
  const number = (value: unknown) => (typeof value === "number" ? value : Number.NaN);
  return document.events.flatMap((event): Cue[] => {
    if (!isObject(event) || event.aAppend === 1) return [];
    const text = eventText(event.segs);
    if (text.trim().length === 0) return [];
    const startMs = number(event.tStartMs);
    return [{ startMs, endMs: startMs + number(event.dDurationMs), text }];
  });
}
