import { MergeUnavailableError, UpstreamError } from "../core/errors.ts";
import type { Merger } from "../core/ports.ts";
import type { StreamSlots } from "../limits/stream-slots.ts";
import type { ByteAllowance } from "../tokens/byte-allowance.ts";
import { formatContentDisposition } from "./content-disposition.ts";
import type { FormatBytes, MergePlan } from "./download-plan.ts";
import type { Redemption } from "./file-answer.ts";

export interface MergeResponderDeps {
  /** Per-client stream slots: a merge holds one like any download. */
  readonly slots: StreamSlots;
  /** This instance's merge slots (`DOWNTUBE_MAX_MERGES`): each merge is an ffmpeg process. */
  readonly mergeSlots: StreamSlots;
  readonly allowance: ByteAllowance;
  readonly merger: Merger;
}

/** Every merge takes one slot of the same, instance-wide pool. */
const MERGE_POOL = "merges";

/** Opens all of one input; resolves once the origin has answered. */
async function openWhole(bytes: FormatBytes, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const size = await bytes.size(signal);
  if (size === 0) throw new UpstreamError(`the origin declares format ${bytes.format.itag} empty`);
  return (await bytes.open({ start: 0, end: size - 1 }, signal)).body;
}

/** Both inputs opened, or neither: when one fails, the other's origin request is cancelled. */
async function openInputs(plan: MergePlan, signal: AbortSignal) {
  const [video, audio] = await Promise.allSettled([
    openWhole(plan.video, signal),
    openWhole(plan.audio, signal),
  ]);
  if (video.status === "fulfilled" && audio.status === "fulfilled")
    return { video: video.value, audio: audio.value };
  const failure = video.status === "rejected" ? video.reason : (audio as PromiseRejectedResult).reason;
  for (const side of [video, audio]) {
    if (side.status === "fulfilled") await side.value.cancel(failure).catch(() => undefined); // already failing
  }
  throw failure;
}

/**
 * Answers a {@link MergePlan}: 200 with the container's type and no length (chunked framing), no
 * Range (a `Range` header is ignored, never a 206), no ETag. HEAD answers the headers without
 * touching the origin or starting ffmpeg. The status line goes out only after ffmpeg's first
 * output bytes, so an input the origin refuses or an ffmpeg that fails is a JSON error; a failure
 * later errors the body, and the listener cuts the chunked response short of its last chunk.
 */
export function createMergeResponder(deps: MergeResponderDeps) {
  return async ({ request, claims, clientId, onClose }: Redemption, plan: MergePlan): Promise<Response> => {
    const headers: Record<string, string> = {
      "Content-Type": plan.contentType,
      "Content-Disposition": formatContentDisposition(claims.disposition, claims.filename),
      "Cache-Control": "private, no-transform",
      "X-Content-Type-Options": "nosniff",
    };
    if (!(await deps.merger.available()))
      throw new MergeUnavailableError("merged downloads need ffmpeg, which this gateway does not have");
    const { signal } = request;
    // A merged copy reads both inputs once: `maxUses` counts their bytes as it does a file's.
    const copySize =
      claims.maxUses === undefined ? 0 : (await plan.video.size(signal)) + (await plan.audio.size(signal));
    await deps.allowance.check(claims, copySize);
    if (request.method === "HEAD") return new Response(null, { status: 200, headers });

    onClose(deps.mergeSlots.acquire(MERGE_POOL));
    onClose(deps.slots.acquire(clientId));
    const { video, audio } = await openInputs(plan, signal);
    const metered = (input: ReadableStream<Uint8Array>) => deps.allowance.meter(claims, copySize, input);
    const output = await deps.merger.merge(
      { video: metered(video), audio: metered(audio), container: plan.container },
      signal,
    );
    return new Response(output, { status: 200, headers });
  };
}
