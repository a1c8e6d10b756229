import type { FfmpegRunner } from "../core/ffmpeg-job.ts";
import { withOwnedChunks } from "../http/owned-chunks.ts";
import type { FfmpegStream, GatewayFile, HeadersOnly, OffloadedFile } from "./download-plan.ts";

/**
 * The responders: one per kind of {@link DownloadPlan}. They only write what the plan settled,
 * headers and bytes; none decides anything again.
 */

/** Headers alone (HEAD, an empty file). */
export function respondHeadersOnly(plan: HeadersOnly): Response {
  return new Response(null, { status: plan.status, headers: plan.headers });
}

/** An empty answer nginx turns into the download (X-Accel-Redirect). */
export function respondOffloaded(plan: OffloadedFile): Response {
  return new Response(null, { status: 200, headers: plan.headers });
}

/**
 * The file's bytes through the gateway, with their exact Content-Length. The status line goes
 * out only once the origin has answered.
 */
export async function respondGatewayFile(plan: GatewayFile, signal: AbortSignal): Promise<Response> {
  const body = await plan.open(signal);
  return new Response(withOwnedChunks(body), { status: plan.status, headers: plan.headers });
}

/**
 * ffmpeg's output as it is made: 200 with no length (chunked framing). The status line goes out
 * only after ffmpeg's first output bytes, so an input the origin refuses or an ffmpeg that fails
 * is a JSON error; a failure later errors the body, and the listener cuts the chunked response
 * short of its last chunk.
 */
export async function respondFfmpegStream(
  plan: FfmpegStream,
  runner: FfmpegRunner,
  signal: AbortSignal,
): Promise<Response> {
  const output = await runner.run(plan.job, signal);
  return new Response(output, { status: 200, headers: plan.headers });
}
