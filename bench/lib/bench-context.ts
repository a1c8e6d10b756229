/**
 * What every part of `npm run bench` shares: its flags, its work directory, what it must stop on
 * the way out, and where its results go (bench/results/<part>.md plus a row in history.md).
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./gateway.ts";

/** One run of the bench: its flags and its scratch directory (bench/.work/<time>, git-ignored). */
export interface BenchContext {
  readonly quick: boolean;
  readonly skipSetup: boolean;
  readonly started: Date;
  readonly workDir: string;
  readonly env: Record<string, string | undefined>;
  /** Registers something to stop on the way out (also on Ctrl-C); run in reverse order. */
  onStop(stop: () => Promise<void> | void): void;
}

/** What a part measured: the whole Markdown, one history line, and whether its checks passed. */
export interface PartResult {
  readonly markdown: string;
  readonly headline: string;
  readonly ok: boolean;
}

/** Creates the context of one run; `stopAll` runs every registered stop once. */
export function createBenchContext(argv: readonly string[]): BenchContext & { stopAll(): Promise<void> } {
  const started = new Date();
  const workDir = join(REPO, "bench", ".work", started.toISOString().replace(/[:.]/g, "-"));
  mkdirSync(workDir, { recursive: true });
  const stops: (() => Promise<void> | void)[] = [];
  return {
    quick: argv.includes("--quick"),
    skipSetup: argv.includes("--skip-setup"),
    started,
    workDir,
    env: { ...process.env },
    onStop: (stop) => void stops.push(stop),
    async stopAll() {
      for (const stop of stops.splice(0).reverse()) {
        await Promise.resolve()
          .then(stop)
          .catch((error: unknown) => console.error("bench: stopping failed:", error));
      }
    },
  };
}

/**
 * Writes a part's results: bench/results/<part>.md (replacing the previous run) and a row in
 * bench/results/history.md; a quick run writes under the work directory only.
 * @returns the path of the Markdown file.
 */
export async function writePartResult(
  context: BenchContext,
  part: string,
  result: PartResult,
): Promise<string> {
  if (context.quick) {
    const path = join(context.workDir, `${part}-quick.md`);
    await Bun.write(path, result.markdown);
    return path;
  }
  const path = join(REPO, "bench", "results", `${part}.md`);
  await Bun.write(path, result.markdown);
  const date = context.started.toISOString().slice(0, 10);
  appendFileSync(
    join(REPO, "bench", "results", "history.md"),
    `| ${date} | ${part} | ${result.headline} |\n`,
  );
  return path;
}

/** Flags of `npm run bench` that take a value (the value is not a part's name). */
export const VALUE_FLAGS = ["--bytes", "--baseline"];

/** The value after `--name` on the command line; undefined without it. */
export function flagValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}
