import { gql } from "@urql/core";
import type { Stack } from "./stack.ts";

const PREPARE = gql`
  mutation Prepare($input: PrepareDownloadInput!) {
    prepareDownload(input: $input) {
      token url expiresAt filename mimeType contentLength
      format { itag }
    }
  }
`;

/** The fields of a `DownloadTicket` the tests read. */
export interface Ticket {
  token: string;
  url: string;
  expiresAt: string;
  filename: string;
  mimeType: string;
  contentLength: number | null;
  format: { itag: number };
}

/**
 * Calls the real `prepareDownload` mutation through the stack's GraphQL client; throws with the
 * GraphQL error when it fails (tests of failures call the client themselves).
 */
export async function prepareDownload(
  on: Pick<Stack, "client">,
  input: Record<string, unknown>,
): Promise<Ticket> {
  const result = await on.client.mutation<{ prepareDownload: Ticket }>(PREPARE, { input }).toPromise();
  if (result.error !== undefined || result.data === undefined) {
    throw new Error(`prepareDownload failed: ${result.error?.message ?? "no data"}`);
  }
  return result.data.prepareDownload;
}
