import { Client, fetchExchange } from "@urql/core";
import { type FakeYouTube, type FakeYouTubeOptions, startFakeYouTube } from "../../fake-youtube/server.ts";
import { loadConfig } from "../../src/config/config.ts";
import { createJsonLogger } from "../../src/core/logger.ts";
import type { NameResolver } from "../../src/core/ports.ts";
import { type Platform, type RunningGateway, startGateway } from "../../src/gateway.ts";

/** A simulated YouTube and a gateway pointed at it, both on 127.0.0.1 port 0, and a real client. */
export interface Stack {
  readonly youtube: FakeYouTube;
  readonly gateway: RunningGateway;
  /** A real GraphQL client over a real socket. */
  readonly client: Client;
  readonly graphqlUrl: string;
  /** Every JSON line the gateway logged. */
  readonly logs: string[];
  stop(): Promise<void>;
}

/** The tests' default resolver: no name resolves (a test that needs names passes its own table). */
const noNames: NameResolver = async (hostname) => {
  throw new Error(`test resolver: ${hostname} is not in the test's table`);
};

/**
 * The extractors every stack uses unless a test names its own: `DOWNTUBE_YOUTUBE_EXTRACTORS` of
 * the test run, so that `scripts/test.sh` runs the YouTube-facing files once per extractor.
 */
export const TEST_EXTRACTORS = process.env.DOWNTUBE_YOUTUBE_EXTRACTORS ?? "ytdl,youtubei";

/**
 * Starts the stack as production composes it (`startGateway`), configured through the same
 * environment variables an operator would set.
 */
export async function startStack(
  env: Record<string, string> = {},
  youtubeOptions: FakeYouTubeOptions = {},
  clock: () => number = Date.now,
  platform: Partial<Pick<Platform, "fetch" | "resolve">> = {},
): Promise<Stack> {
  const youtube = await startFakeYouTube(youtubeOptions);
  const config = loadConfig({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin,
    DOWNTUBE_YOUTUBE_EXTRACTORS: TEST_EXTRACTORS,
    // One test file sends more from 127.0.0.1 than a client would; the limits have tests of their own.
    DOWNTUBE_RATE_LIMIT_METADATA: "1000000",
    DOWNTUBE_RATE_LIMIT_PREPARE: "1000000",
    DOWNTUBE_RATE_LIMIT_DOWNLOAD: "1000000",
    DOWNTUBE_MAX_STREAMS_PER_CLIENT: "1000",
    DOWNTUBE_MAX_STREAMS: "1000",
    ...env,
  });
  const logs: string[] = [];
  const gateway = await startGateway(config, {
    fetch: (input, init) => fetch(input, init),
    resolve: noNames,
    ...platform,
    clock,
    log: createJsonLogger((line) => logs.push(line), clock),
    randomId: () => crypto.randomUUID(),
  });
  const graphqlUrl = new URL("/graphql", gateway.url).href;
  // urql sends queries as GET; like any browser-capable client it must then name itself with the
  // CSRF-prevention header (see the README).
  const client = new Client({
    url: graphqlUrl,
    exchanges: [fetchExchange],
    requestPolicy: "network-only",
    fetchOptions: { headers: { "x-graphql-yoga-csrf": "urql" } },
  });
  return {
    youtube,
    gateway,
    client,
    graphqlUrl,
    logs,
    async stop() {
      await gateway.stop();
      await youtube.stop();
    },
  };
}

/** The `extensions.code` of each GraphQL error, in order. */
export function errorCodes(
  error: { graphQLErrors: readonly { extensions: Record<string, unknown> }[] } | undefined,
) {
  return (error?.graphQLErrors ?? []).map((e) => e.extensions.code);
}
