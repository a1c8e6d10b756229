import type { FfmpegRunner } from "../core/ffmpeg-job.ts";
import { withOwnedChunks } from "../http/owned-chunks.ts";
import type {
  ArchiveEntry,
  ArchiveStream,
  FfmpegStream,
  GatewayFile,
  HeadersOnly,
  OffloadedFile,
} from "./download-plan.ts";
import { ERRORS_ENTRY, errorsText, type ZipFile, zipStream } from "./zip-archive.ts";

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

/**
 * An archive: its entries opened one after another as the client reads, written into one stored
 * ZIP. The first entry is opened before the status line goes out, so an archive whose first item
 * fails at once is a JSON error (exact length) or starts with the next item. Later, an entry that
 * fails before its first byte is skipped and named in `downtube-errors.txt` when the length is
 * not promised; with an exact length, or once an entry's bytes have begun, the response is cut.
 */
export async function respondArchive(
  plan: ArchiveStream,
  runner: FfmpegRunner,
  signal: AbortSignal,
): Promise<Response> {
  const failures = [...plan.failures];
  const open = (entry: ArchiveEntry): Promise<ReadableStream<Uint8Array>> =>
    entry.bytes.kind === "gateway-file" ? entry.bytes.open(signal) : runner.run(entry.bytes.job, signal);
  /** The entry's file, or undefined when it was skipped (only while no length is promised). */
  const fileOf = async (entry: ArchiveEntry): Promise<ZipFile | undefined> => {
    try {
      return { name: entry.name, body: await open(entry), size: entry.size };
    } catch (error) {
      if (plan.exactLength || signal.aborted) throw error;
      failures.push(`${entry.name}: ${error instanceof Error ? error.message : "failed"}`);
      return undefined;
    }
  };
  const entries = [...plan.entries];
  let first: ZipFile | undefined;
  while (first === undefined && entries.length > 0) first = await fileOf(entries.shift() as ArchiveEntry);
  async function* files(): AsyncGenerator<ZipFile> {
    if (first !== undefined) yield first;
    for (const entry of entries) {
      const file = await fileOf(entry);
      if (file !== undefined) yield file;
    }
    if (failures.length > 0) {
      const text = new TextEncoder().encode(errorsText(failures));
      yield {
        name: ERRORS_ENTRY,
        body: new Response(text).body as ReadableStream<Uint8Array>,
        size: text.length,
      };
    }
  }
  const body = plan.metered(zipStream(files(), plan.modified));
  return new Response(body, { status: 200, headers: plan.headers });
}
