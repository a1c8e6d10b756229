import { gql, type OperationResult } from "@urql/core";
import type { Stack } from "./stack.ts";

const TICKET_FIELDS = `
  token url expiresAt filename mimeType contentLength estimatedContentLength
  format { itag mimeType container height hasVideo hasAudio contentLength }
  audioFormat { itag mimeType container hasVideo hasAudio contentLength }
  video { id title }
`;

const PREPARE = gql`
  mutation Prepare($input: PrepareDownloadInput!) {
    prepareDownload(input: $input) { ${TICKET_FIELDS} }
  }
`;

/** A `DownloadTicket` as the tests read it. */
export interface Ticket {
  token: string;
  url: string;
  expiresAt: string;
  filename: string;
  mimeType: string;
  contentLength: number | null;
  estimatedContentLength: number | null;
  format: {
    itag: number;
    mimeType: string;
    container: string | null;
    height: number | null;
    hasVideo: boolean;
    hasAudio: boolean;
    contentLength: number | null;
  };
  /** The audio side of a merge. */
  audioFormat: {
    itag: number;
    mimeType: string;
    container: string | null;
    hasVideo: boolean;
    hasAudio: boolean;
    contentLength: number | null;
  } | null;
  video: { id: string; title: string };
}

/** The real `prepareDownload` mutation through a stack's GraphQL client, errors included. */
export function requestDownload(
  on: Pick<Stack, "client">,
  input: Record<string, unknown>,
): Promise<OperationResult<{ prepareDownload: Ticket }>> {
  return on.client.mutation<{ prepareDownload: Ticket }>(PREPARE, { input }).toPromise();
}

/**
 * Calls the real `prepareDownload` mutation through the stack's GraphQL client; throws with the
 * GraphQL error when it fails (tests of failures use `requestDownload`).
 */
export async function prepareDownload(
  on: Pick<Stack, "client">,
  input: Record<string, unknown>,
): Promise<Ticket> {
  const result = await requestDownload(on, input);
  if (result.error !== undefined || result.data === undefined) {
    throw new Error(`prepareDownload failed: ${result.error?.message ?? "no data"}`);
  }
  return result.data.prepareDownload;
}

/**
 * The same mutation as a plain JSON POST to a gateway running as its own process (no client
 * object there); throws when it fails.
 */
export async function prepareDownloadAt(
  graphqlUrl: URL,
  input: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Ticket> {
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({
      query: `mutation ($input: PrepareDownloadInput!) { prepareDownload(input: $input) { ${TICKET_FIELDS} } }`,
      variables: { input },
    }),
  });
  const body = (await response.json()) as { data?: { prepareDownload: Ticket } | null; errors?: unknown };
  if (!body.data) throw new Error(`prepareDownload failed: ${JSON.stringify(body.errors)}`);
  return body.data.prepareDownload;
}
