import { DowntubeError, MergeUnavailableError, UpstreamError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { MergeInputs, Merger } from "../core/ports.ts";
import { mergeArguments } from "./ffmpeg-arguments.ts";
import { locateFfmpeg } from "./ffmpeg-locate.ts";
import { feedPipe } from "./pipe-feed.ts";

/** How a merge ended, as counted. */
export type MergeOutcome = "complete" | "client_gone" | "upstream_error" | "ffmpeg_error";

/** Told about every merge (metrics). */
export interface MergeObserver {
  started(): void;
  /** Seconds from the start of the merge to ffmpeg's first output bytes. */
  firstByte(seconds: number): void;
  ended(outcome: MergeOutcome): void;
}

export interface FfmpegMergerDeps {
  /** `DOWNTUBE_FFMPEG`: a path, or a name looked up on PATH. */
  readonly command: string;
  readonly log: Logger;
  readonly observer?: MergeObserver | undefined;
}

/** The last bytes of ffmpeg's error output kept for the log. */
const STDERR_TAIL = 2000;

/**
 * The {@link Merger} on the system's ffmpeg. Each merge is one ffmpeg process, started from an
 * argument array (no shell) with an empty environment, reading its inputs from two socket pairs
 * the gateway feeds from the origin and writing to a pipe the response reads: ffmpeg itself never
 * opens a file or a connection. It is killed as soon as the client leaves or an input fails; if
 * the gateway itself dies, its ends of the pipes close and ffmpeg reads an end of file and exits.
 */
export function createFfmpegMerger(deps: FfmpegMergerDeps): Merger {
  let located: Promise<string | undefined> | undefined;
  const locate = () => {
    located ??= locateFfmpeg(deps.command);
    return located;
  };
  const running = new Set<Bun.Subprocess>();

  const merge = async (inputs: MergeInputs, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> => {
    const cancelInputs = (reason: unknown) =>
      Promise.all([inputs.video.cancel(reason), inputs.audio.cancel(reason)]).catch(() => undefined);
    const ffmpeg = await locate();
    if (ffmpeg === undefined) {
      await cancelInputs("no ffmpeg");
      throw new MergeUnavailableError("merged downloads need ffmpeg, which this gateway does not have");
    }
    if (signal.aborted) {
      await cancelInputs(signal.reason);
      throw signal.reason;
    }
    const started = performance.now();
    let child: Bun.Subprocess<"ignore", "pipe", "pipe">;
    try {
      child = Bun.spawn([ffmpeg, ...mergeArguments(inputs.container)], {
        stdio: ["ignore", "pipe", "pipe", "socket-fd", "socket-fd"],
        env: {},
      });
    } catch (error) {
      await cancelInputs(error);
      throw new UpstreamError("ffmpeg could not be started", { cause: error });
    }
    running.add(child);
    deps.observer?.started();

    const halt = new AbortController();
    let clientGone = false;
    const stop = (reason: unknown, byClient: boolean) => {
      clientGone ||= byClient;
      halt.abort(reason);
      child.kill("SIGKILL");
    };
    const onAbort = () => stop(signal.reason, true);
    signal.addEventListener("abort", onAbort, { once: true });

    const [videoFd, audioFd] = child.stdio.slice(3) as number[];
    const feeds = [inputs.video, inputs.audio].map((body, i) =>
      // An input that fails ends ffmpeg at once: left alone, it would read the end of file and
      // exit 0 with a short output.
      feedPipe(body, (i === 0 ? videoFd : audioFd) as number, halt.signal).catch((error: unknown) => {
        stop(error, false);
        throw error;
      }),
    );
    const stderr = new Response(child.stderr).text().then((text) => text.slice(-STDERR_TAIL));

    /** Undefined when the merge is complete: both inputs read to their end and ffmpeg exited 0. */
    const verdict = (async (): Promise<unknown> => {
      const fed = await Promise.allSettled(feeds);
      const code = await child.exited;
      running.delete(child);
      signal.removeEventListener("abort", onAbort);
      const failed = fed.find((r) => r.status === "rejected")?.reason;
      let outcome: MergeOutcome = "complete";
      let failure: unknown;
      if (clientGone) {
        outcome = "client_gone";
        failure = signal.reason ?? new Error("the client went away");
      } else if (failed instanceof DowntubeError) {
        outcome = "upstream_error";
        failure = failed;
      } else if (code !== 0 || failed !== undefined) {
        outcome = "ffmpeg_error";
        deps.log.warn("ffmpeg failed to merge", { exitCode: code, stderr: await stderr });
        failure = new UpstreamError("the formats could not be merged", { cause: failed });
      }
      deps.observer?.ended(outcome);
      return failure;
    })();

    const output = child.stdout.getReader();
    const first = await output.read();
    if (first.done) {
      const failure = (await verdict) ?? new UpstreamError("ffmpeg wrote nothing");
      throw failure;
    }
    deps.observer?.firstByte((performance.now() - started) / 1000);

    let pending: Uint8Array | undefined = first.value;
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const read = pending === undefined ? await output.read() : { done: false as const, value: pending };
          pending = undefined;
          if (!read.done) {
            controller.enqueue(read.value);
            return;
          }
          const failure = await verdict;
          if (failure === undefined) controller.close();
          else controller.error(failure);
        },
        cancel(reason) {
          stop(reason, true);
        },
      },
      { highWaterMark: 0 },
    );
  };

  return {
    available: async () => (await locate()) !== undefined,
    merge,
    async close() {
      const children = [...running];
      for (const child of children) child.kill("SIGKILL");
      await Promise.all(children.map((child) => child.exited));
    },
  };
}
