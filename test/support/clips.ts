/**
 * Helpers for the clip tests: the clip mutation with the fields a clip adds, and what ffprobe
 * says of a clip's timeline.
 */
import { gql, type OperationResult } from "@urql/core";
import { runCommand } from "./merges.ts";
import type { Stack } from "./stack.ts";

const PREPARE_CLIP = gql`
  mutation PrepareClip($input: PrepareDownloadInput!) {
    prepareDownload(input: $input) {
      url filename mimeType contentLength estimatedContentLength
      format { itag contentLength } audioFormat { itag contentLength }
      clip { startSeconds endSeconds }
    }
  }
`;

/** A clip's ticket as the tests read it. */
export interface ClipTicket {
  url: string;
  filename: string;
  mimeType: string;
  contentLength: number | null;
  estimatedContentLength: number | null;
  format: { itag: number; contentLength: number | null };
  audioFormat: { itag: number; contentLength: number | null } | null;
  clip: { startSeconds: number; endSeconds: number } | null;
}

/** `prepareDownload` through the stack's client, errors included. */
export function requestClip(
  stack: Pick<Stack, "client">,
  input: Record<string, unknown>,
): Promise<OperationResult<{ prepareDownload: ClipTicket }>> {
  return stack.client.mutation<{ prepareDownload: ClipTicket }>(PREPARE_CLIP, { input }).toPromise();
}

/** `prepareDownload` of a clip; throws with the GraphQL error when it fails. */
export async function prepareClip(
  stack: Pick<Stack, "client">,
  input: Record<string, unknown>,
): Promise<ClipTicket> {
  const result = await requestClip(stack, input);
  if (result.error !== undefined || result.data === undefined)
    throw new Error(`prepareDownload failed: ${result.error?.message ?? "no data"}`);
  return result.data.prepareDownload;
}

/** Each stream's type, codec and span in seconds, from its packets' own timestamps. */
export interface StreamSpan {
  type: string;
  codec: string;
  /** First packet's presentation time. */
  start: number;
  /** Last packet's presentation time plus its duration. */
  end: number;
}

/**
 * What the packets of a file say of each stream: a WebM or fragmented MP4 written to a pipe may
 * keep its input's duration in its header, so only the packets tell the real length.
 */
export async function streamSpans(path: string): Promise<StreamSpan[]> {
  const { stdout, stderr, code } = await runCommand([
    ...["ffprobe", "-v", "error", "-of", "json"],
    ...[
      "-show_entries",
      "stream=index,codec_type,codec_name:packet=stream_index,pts_time,duration_time",
      path,
    ],
  ]);
  if (code !== 0) throw new Error(`ffprobe ${path} failed: ${stderr}`);
  const parsed = JSON.parse(stdout) as {
    streams: { index: number; codec_type: string; codec_name: string }[];
    packets: { stream_index: number; pts_time?: string; duration_time?: string }[];
  };
  return parsed.streams.map((stream) => {
    const times = parsed.packets
      .filter((p) => p.stream_index === stream.index && p.pts_time !== undefined)
      .map((p) => ({ at: Number(p.pts_time), length: Number(p.duration_time ?? 0) }));
    const start = Math.min(...times.map((t) => t.at));
    const end = Math.max(...times.map((t) => t.at + t.length));
    return { type: stream.codec_type, codec: stream.codec_name, start, end };
  });
}
