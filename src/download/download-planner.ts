import type { DownloadPlan } from "./download-plan.ts";
import { planArchive } from "./plans/archive-plan.ts";
import { planAudio } from "./plans/audio-plan.ts";
import { planCaptions } from "./plans/captions-plan.ts";
import { planFile } from "./plans/file-plan.ts";
import { planMerge } from "./plans/merge-plan.ts";
import { type PlanContext, type PlannerDeps, planContext } from "./plans/plan-context.ts";

/** One redemption of a token. */
type Redemption = Pick<PlanContext, "request" | "claims" | "clientId" | "attempt">;

/** Turns a verified token into its {@link DownloadPlan}: the one decision of a download. */
export interface DownloadPlanner {
  /**
   * Throws the source's errors, `FormatNotFoundError` when the video no longer offers a format
   * the token names, `LiveNotSupportedError` for a manifest, `RangeNotSatisfiableError`,
   * `TokenUsedError`, `StoreUnavailableError`, and `MergeUnavailableError` /
   * `FfmpegUnavailableError` for a download ffmpeg makes on an instance without it.
   */
  plan(redemption: Redemption): Promise<DownloadPlan>;
}

/** One plan per kind of delivery the token names: a new kind is a new case and a new `plans/` file. */
export function createDownloadPlanner(deps: PlannerDeps): DownloadPlanner {
  const plan = (planDeps: PlannerDeps, redemption: Redemption): Promise<DownloadPlan> => {
    const context = planContext(planDeps, redemption);
    const { delivery } = redemption.claims;
    switch (delivery.kind) {
      case "file":
        return planFile(context, delivery);
      case "merge":
        return planMerge(context, delivery);
      case "archive":
        // Each item is planned as a download of its own, always carried by the gateway: nginx
        // cannot write into the archive.
        return planArchive(context, delivery, (item) => plan({ ...planDeps, offload: "none" }, item));
      case "audio":
        return planAudio(context, delivery);
      case "captions":
        return planCaptions(context, delivery);
    }
  };
  return { plan: (redemption) => plan(deps, redemption) };
}
