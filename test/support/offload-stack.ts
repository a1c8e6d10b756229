import type { FakeYouTubeOptions } from "../../fake-youtube/server.ts";
import { createJsonLogger } from "../../src/core/logger.ts";
import { type ManagedNginx, startManagedNginx } from "../../src/offload/managed-nginx.ts";
import { prepareDownloadAt, type Ticket } from "./downloads.ts";
import { type Stack, startStack } from "./stack.ts";

/** How long starting the three servers may take on a busy machine (a hook's timeout), in ms. */
export const OFFLOAD_STARTUP_MS = 30_000;

/** A stack in offload mode with Debian's nginx in front, as `npm run start:nginx` runs them. */
export interface OffloadStack {
  readonly stack: Stack;
  readonly nginx: ManagedNginx;
  /** nginx's error lines (redacted), as the managed nginx logs them. */
  readonly nginxLogs: string[];
  /** `prepareDownload` through nginx, so the ticket's URL points at nginx. */
  prepare(input: Record<string, unknown>, headers?: Record<string, string>): Promise<Ticket>;
  /**
   * The bytes the gateway itself sent for each `/download/:token` request it logged, and each
   * refresh nginx asked for (0 when it answered with an X-Accel-Redirect and nginx carried the
   * file), oldest first.
   */
  gatewayDownloadBytes(): number[];
  stop(): Promise<void>;
}

/**
 * Starts the simulated YouTube, a gateway with `DOWNTUBE_OFFLOAD=nginx` behind it, and a managed
 * nginx (on a free port of 127.0.0.1) in front of the gateway. `env` adds to the stack's.
 */
export async function startOffloadStack(
  env: Record<string, string> = {},
  youtubeOptions: FakeYouTubeOptions = {},
  clock: () => number = Date.now,
): Promise<OffloadStack> {
  const chunkBytes = env.DOWNTUBE_UPSTREAM_CHUNK_BYTES ?? "65536";
  const timeoutMs = env.DOWNTUBE_UPSTREAM_TIMEOUT_MS ?? "5000";
  const stack = await startStack(
    {
      DOWNTUBE_OFFLOAD: "nginx",
      DOWNTUBE_TRUST_PROXY: "true",
      DOWNTUBE_UPSTREAM_CHUNK_BYTES: chunkBytes,
      DOWNTUBE_UPSTREAM_TIMEOUT_MS: timeoutMs,
      ...env,
    },
    youtubeOptions,
    clock,
  );
  const nginxLogs: string[] = [];
  const nginx = await startManagedNginx({
    binary: "/usr/sbin/nginx",
    host: "127.0.0.1",
    port: 0,
    gateway: stack.gateway.url.host,
    // Tests reach only 127.0.0.1 by address: no name is ever resolved.
    resolver: "127.0.0.1",
    sliceBytes: Number(chunkBytes),
    timeoutMs: Number(timeoutMs),
    streams: {
      total: Number(env.DOWNTUBE_MAX_STREAMS ?? "64"),
      perClient: Number(env.DOWNTUBE_MAX_STREAMS_PER_CLIENT ?? "4"),
    },
    startTimeoutMs: 10_000,
    log: createJsonLogger((line) => nginxLogs.push(line), Date.now),
  });
  return {
    stack,
    nginx,
    nginxLogs,
    prepare: (input, headers) => prepareDownloadAt(new URL("/graphql", nginx.url), input, headers),
    gatewayDownloadBytes: () =>
      stack.logs
        .map((line) => JSON.parse(line) as { message?: string; route?: string; bytes?: number })
        .filter((entry) => entry.message === "request" && entry.route?.endsWith("/download/:token"))
        .map((entry) => entry.bytes ?? -1),
    async stop() {
      await nginx.stop(1000);
      await stack.stop();
    },
  };
}
