import type { JobInput } from "../core/ffmpeg-job.ts";

/**
 * Opens every input of a job at once; resolves once every origin has answered. All of them or
 * none: when one fails, the others' origin requests are cancelled and the first failure (in
 * input order) is thrown.
 */
export async function openAll(
  inputs: readonly JobInput[],
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>[]> {
  const opened = await Promise.allSettled(inputs.map((input) => input.open(signal)));
  const failed = opened.find((result) => result.status === "rejected");
  if (failed === undefined)
    return opened.map((result) => (result as PromiseFulfilledResult<ReadableStream<Uint8Array>>).value);
  for (const result of opened) {
    if (result.status === "fulfilled") await result.value.cancel(failed.reason).catch(() => undefined); // already failing
  }
  throw failed.reason;
}
