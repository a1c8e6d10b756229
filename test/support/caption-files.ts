import { gql } from "@urql/core";
import type { Stack } from "./stack.ts";

/** One cue as a test reads it back from a file: seconds and text lines. */
export interface ParsedCue {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const TIMING = /^(\d{2,}):(\d{2}):(\d{2})[.,](\d{3}) --> (\d{2,}):(\d{2}):(\d{2})[.,](\d{3})$/;

const seconds = (h: string, m: string, s: string, ms: string) =>
  Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;

/**
 * Reads a WebVTT or SubRip file strictly, as the tests' own check of the gateway's writer: blocks
 * separated by blank lines; in SRT each starts with its number (1, 2, …); in VTT none does and the
 * file starts with `WEBVTT`. Throws on anything else.
 */
export function parseCaptionFile(text: string, format: "vtt" | "srt"): ParsedCue[] {
  let body = text;
  if (format === "vtt") {
    if (!text.startsWith("WEBVTT\n\n")) throw new Error("no WEBVTT header");
    body = text.slice("WEBVTT\n\n".length);
  }
  const blocks = body.split("\n\n").filter((block) => block.length > 0);
  return blocks.map((block, index) => {
    const lines = block.split("\n");
    if (format === "srt" && lines.shift() !== String(index + 1))
      throw new Error(`cue ${index + 1} misnumbered`);
    const timing = TIMING.exec(lines.shift() ?? "");
    if (timing === null) throw new Error(`cue ${index + 1} has no timing line: ${block.slice(0, 80)}`);
    const [, h1, m1, s1, ms1, h2, m2, s2, ms2] = timing as unknown as string[];
    if (lines.length === 0) throw new Error(`cue ${index + 1} has no text`);
    return {
      start: seconds(h1 ?? "", m1 ?? "", s1 ?? "", ms1 ?? ""),
      end: seconds(h2 ?? "", m2 ?? "", s2 ?? "", ms2 ?? ""),
      text: lines.join("\n"),
    };
  });
}

const PREPARE_CAPTIONS = gql`
  mutation PrepareCaptions($input: PrepareDownloadInput!) {
    prepareDownload(input: $input) { url filename mimeType contentLength format { itag } }
  }
`;

/** A caption ticket as the tests read it. */
export interface CaptionTicket {
  url: string;
  filename: string;
  mimeType: string;
  contentLength: number | null;
  format: { itag: number } | null;
}

/** `prepareDownload` with any input, answering the ticket or the GraphQL error codes. */
export async function prepareCaptions(stack: Stack, input: Record<string, unknown>) {
  const result = await stack.client
    .mutation<{ prepareDownload: CaptionTicket }>(PREPARE_CAPTIONS, { input })
    .toPromise();
  return {
    ticket: result.data?.prepareDownload,
    codes: (result.error?.graphQLErrors ?? []).map((e) => e.extensions.code),
    messages: (result.error?.graphQLErrors ?? []).map((e) => e.message),
  };
}
