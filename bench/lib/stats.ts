/** Medians and ranges, computed the way `shared/peers/run.sh` computes them. */

/** Median [min–max] of a set of measurements; undefined fields when there were none. */
export interface Spread {
  readonly median: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly n: number;
}

/** The middle value, or the mean of the two middle ones (as run.sh's `median`). */
export function spreadOf(values: readonly number[]): Spread {
  const sorted = values.filter(Number.isFinite).toSorted((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: undefined, min: undefined, max: undefined, n };
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, min: sorted[0], max: sorted[n - 1], n };
}

/** `value` with `digits` decimals, or "NA". */
export function fixed(value: number | undefined, digits = 0): string {
  return value === undefined || !Number.isFinite(value) ? "NA" : value.toFixed(digits);
}

/** "median [min–max]", or just the median when there is one value. */
export function formatSpread(spread: Spread, digits = 0): string {
  if (spread.n <= 1) return fixed(spread.median, digits);
  return `${fixed(spread.median, digits)} [${fixed(spread.min, digits)}–${fixed(spread.max, digits)}]`;
}

/** `a / b` as "×1.23", or "NA" when either is missing or b is 0. */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b))
    return "NA";
  return `×${(a / b).toFixed(2)}`;
}
