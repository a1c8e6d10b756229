import type { InclusiveRange } from "../../core/video.ts";

const whole = (value: unknown): number | undefined => {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

/**
 * A format's `initRange` / `indexRange` (`{ start: "0", end: "772" }` in YouTube's player
 * response, numbers in youtubei.js) as an {@link InclusiveRange}; undefined unless both ends are
 * whole offsets in order, so a clip never trusts a range that cannot be right.
 */
export function byteRange(value: unknown): InclusiveRange | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const start = whole("start" in value ? value.start : undefined);
  const end = whole("end" in value ? value.end : undefined);
  return start !== undefined && end !== undefined && end >= start ? { start, end } : undefined;
}
