import { DowntubeError, FfmpegUnavailableError, UpstreamError } from "../core/errors.ts";
import type { FfmpegJob, FfmpegRunner, JobObserver, JobOutcome } from "../core/ffmpeg-job.ts";
import type { Logger } from "../core/logger.ts";
import { FIRST_INPUT_FD, jobArguments } from "./ffmpeg-arguments.ts";
import { locateFfmpeg } from "./ffmpeg-locate.ts";
import { openAll } from "./open-all.ts";
import { feedPipe } from "./pipe-feed.ts";

export interface FfmpegRunnerDeps {
  /** `DOWNTUBE_FFMPEG`: a path, or a name looked up on PATH. */
  readonly command: string;
  readonly log: Logger;
  readonly observer?: JobObserver | undefined;
}

/** The last bytes of ffmpeg's error output kept for the log. */
const STDERR_TAIL = 2000;

/**
 * The {@link FfmpegRunner} on the system's ffmpeg. Each job is one ffmpeg process, started from
 * an argument array (no shell) with an empty environment, reading each input from a socket pair
 * the gateway feeds and writing to a pipe the response reads: ffmpeg itself never opens a file
 * or a connection. It is killed as soon as the client leaves or an input fails; if the gateway
 * itself dies, its ends of the pipes close and ffmpeg reads an end of file and exits.
 */
export function createFfmpegRunner(deps: FfmpegRunnerDeps): FfmpegRunner {
  let located: Promise<string | undefined> | undefined;
  const locate = () => {
    located ??= locateFfmpeg(deps.command);
    return located;
  };
  const running = new Set<Bun.Subprocess>();

  const run = async (job: FfmpegJob, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> => {
    const ffmpeg = await locate();
    if (ffmpeg === undefined)
      throw new FfmpegUnavailableError("this download is made by ffmpeg, which this gateway does not have");
    const inputs = await openAll(job.inputs, signal);
    const cancelInputs = (reason: unknown) =>
      Promise.all(inputs.map((input) => input.cancel(reason))).catch(() => undefined);
    if (signal.aborted) {
      await cancelInputs(signal.reason);
      throw signal.reason;
    }
    const started = performance.now();
    let child: Bun.Subprocess<"ignore", "pipe", "pipe">;
    try {
      child = Bun.spawn([ffmpeg, ...jobArguments(job)], {
        stdio: ["ignore", "pipe", "pipe", ...inputs.map(() => "socket-fd" as const)],
        env: {},
      });
    } catch (error) {
      await cancelInputs(error);
      throw new UpstreamError("ffmpeg could not be started", { cause: error });
    }
    running.add(child);
    deps.observer?.started(job.kind);

    const halt = new AbortController();
    let clientGone = false;
    const stop = (reason: unknown, byClient: boolean) => {
      clientGone ||= byClient;
      halt.abort(reason);
      child.kill("SIGKILL");
    };
    const onAbort = () => stop(signal.reason, true);
    signal.addEventListener("abort", onAbort, { once: true });

    const fds = child.stdio.slice(FIRST_INPUT_FD) as number[];
    const feeds = inputs.map((body, i) =>
      // An input that fails ends ffmpeg at once: left alone, it would read the end of file and
      // exit 0 with a short output.
      feedPipe(body, fds[i] as number, halt.signal).catch((error: unknown) => {
        // With a time range ffmpeg stops reading once past the end: the input it leaves (its
        // origin request is cancelled) is no failure; its exit code says whether the job is.
        if (job.timeRange !== undefined && !halt.signal.aborted && !(error instanceof DowntubeError)) return;
        stop(error, false);
        throw error;
      }),
    );
    const stderr = new Response(child.stderr).text().then((text) => text.slice(-STDERR_TAIL));

    /** Undefined when the job is complete: every input read to its end and ffmpeg exited 0. */
    const verdict = (async (): Promise<unknown> => {
      const fed = await Promise.allSettled(feeds);
      const code = await child.exited;
      running.delete(child);
      signal.removeEventListener("abort", onAbort);
      const failed = fed.find((r) => r.status === "rejected")?.reason;
      let outcome: JobOutcome = "complete";
      let failure: unknown;
      if (clientGone) {
        outcome = "client_gone";
        failure = signal.reason ?? new Error("the client went away");
      } else if (failed instanceof DowntubeError) {
        outcome = "upstream_error";
        failure = failed;
      } else if (code !== 0 || failed !== undefined) {
        outcome = "ffmpeg_error";
        deps.log.warn("ffmpeg failed", { job: job.kind, exitCode: code, stderr: await stderr });
        failure = new UpstreamError("the download could not be made from the source's media", {
          cause: failed,
        });
      }
      deps.observer?.ended(job.kind, outcome);
      return failure;
    })();

    const output = child.stdout.getReader();
    const first = await output.read();
    if (first.done) throw (await verdict) ?? new UpstreamError("ffmpeg wrote nothing");
    deps.observer?.firstByte(job.kind, (performance.now() - started) / 1000);

    const pending: Uint8Array[] =
      job.prefix === undefined ? [first.value] : [job.prefix.slice(), first.value];
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const ready = pending.shift();
          if (ready !== undefined) {
            controller.enqueue(ready);
            return;
          }
          const read = await output.read();
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
    run,
    async close() {
      const children = [...running];
      for (const child of children) child.kill("SIGKILL");
      await Promise.all(children.map((child) => child.exited));
    },
  };
}
