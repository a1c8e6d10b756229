import { afterAll, beforeAll, expect } from "bun:test";
import { prepareDownload } from "../../support/downloads.ts";
import { type Stack, startStack } from "../../support/stack.ts";

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
/** fast-check settings of every hostile-input property: 300 cases, or the seed to replay. */
export const settings = { numRuns: 300, ...(seed === undefined ? {} : { seed }) };
/** Client-side bound of every request: a hang fails the case instead of stalling the run. */
export const TIMEOUT_MS = 5000;

/** One real stack (simulated YouTube + gateway on port 0) for a file of hostile-input properties. */
export interface HostileStack {
  readonly stack: Stack;
  readonly port: number;
  /** A genuine itag-18 download of the plain video. */
  readonly genuine: { readonly token: string; readonly url: string; readonly etag: string };
  /** The origin's bytes of that format. */
  readonly file: Uint8Array;
  /** Requests the simulated YouTube has received so far, by kind. */
  originHits(): { extractions: number; media: number };
  /** Runs `request` and checks that it made no metadata request to the origin when `invalid`. */
  withoutOriginWhen(invalid: boolean, request: () => Promise<unknown>): Promise<void>;
  /** The gateway still answers `/healthz`. */
  expectHealthy(): Promise<void>;
}

async function startHostileStack(): Promise<HostileStack> {
  const stack = await startStack();
  const ticket = await prepareDownload(stack, { url: "Plain000001", format: { itag: 18 } });
  const media = stack.youtube.media.get(18);
  if (media === undefined) throw new Error("the simulated YouTube has no itag 18");
  const head = await fetch(ticket.url, { method: "HEAD", signal: AbortSignal.timeout(TIMEOUT_MS) });
  const etag = head.headers.get("etag") ?? "";
  expect(etag).not.toBe("");
  const originHits = () => ({
    extractions: stack.youtube.hits.extractions(),
    media: stack.youtube.hits.count("media"),
  });
  return {
    stack,
    port: Number(new URL(stack.gateway.url).port),
    genuine: { token: ticket.token, url: ticket.url, etag },
    file: new Uint8Array(await Bun.file(media.path).arrayBuffer()),
    originHits,
    async withoutOriginWhen(invalid, request) {
      const before = originHits().extractions;
      await request();
      if (invalid) expect(originHits().extractions, "an invalid URL reached the origin").toBe(before);
    },
    async expectHealthy() {
      const response = await fetch(new URL("/healthz", stack.gateway.url), {
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
    },
  };
}

/** Starts the stack before the file's properties and stops it after them. */
export function useHostileStack(): () => HostileStack {
  let started: HostileStack | undefined;
  beforeAll(async () => {
    started = await startHostileStack();
  });
  afterAll(() => started?.stack.stop());
  return () => {
    if (started === undefined) throw new Error("the hostile-input stack has not started");
    return started;
  };
}
