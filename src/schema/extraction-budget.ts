import { BadUserInputError } from "../core/errors.ts";

/**
 * How many videos one GraphQL operation may still ask for. Aliases could otherwise multiply the
 * `videos` cap (ten aliased `videos` fields of twenty URLs each), so every `video`, `videos` and
 * `prepareDownload` field draws from one budget per request.
 */
export interface ExtractionBudget {
  /** Takes `count` videos from the budget; `BadUserInputError` when there are not that many left. */
  take(count: number): void;
}

export function createExtractionBudget(max: number): ExtractionBudget {
  let left = max;
  return {
    take(count) {
      if (count > left) {
        throw new BadUserInputError(`one operation may ask for at most ${max} videos (DOWNTUBE_MAX_BATCH)`);
      }
      left -= count;
    },
  };
}
