import { afterEach, describe, expect, test } from "bun:test";
import { Utils } from "youtubei.js";
import { UnsafePlayerInputError } from "../../src/core/errors.ts";
import {
  createGuardedEvaluator,
  type PlayerCodeRunner,
  type PlayerScriptEnv,
} from "../../src/sources/youtube/youtubei-evaluator.ts";

/** The naive evaluator youtubei.js's guide suggests: the code, run as it comes. */
const runInProcess: PlayerCodeRunner = async (code) => new Function(code)();

/** Player code as youtubei.js cuts it out: `exportedVars.nsigFunction` builds the URL object. */
const PLAYER_CODE = [
  "class Media {",
  "  constructor(url) { this.params = new URL(url).searchParams }",
  "  set(k, v) { this.params.set(k, v) }",
  "  get(k) { return this.params.get(k) }",
  "  upper() { this.params.set('n', (this.params.get('n') ?? '').toUpperCase()) }",
  "}",
  "const exportedVars = {",
  "  nsigFunction(url, sp, s) {",
  "    const media = new Media(url);",
  "    if (s) media.set(sp, s.split('').reverse().join(''));",
  "    return media;",
  "  },",
  "};",
].join("\n");

/** What youtubei.js asks its evaluator to run for these values: its own splicing, unchanged. */
function scriptFor(env: { n?: string; sp?: string; sig?: string }) {
  return { output: `${PLAYER_CODE}\n${Utils.getNsigProcessorFn(env.n, env.sp, env.sig)}` };
}

const globals = globalThis as { downtubeInjected?: number };
afterEach(() => {
  delete globals.downtubeInjected;
});

const CRAFTED = '"+(globalThis.downtubeInjected=1)+"';

describe("the youtubei.js evaluator", () => {
  test("runs the player code for values in YouTube's alphabet and returns its strings", async () => {
    const evaluate = createGuardedEvaluator(runInProcess);
    const env = { n: "abc-_DEF", sp: "sig", sig: "xyz.AB=" };
    expect(await evaluate(scriptFor(env), env)).toEqual({ sig: "=BA.zyx", n: "ABC-_DEF" });
  });

  test("a crafted n spliced by youtubei.js runs code when evaluated naively", async () => {
    const env = { n: CRAFTED };
    await runInProcess(scriptFor(env).output);
    expect(globals.downtubeInjected).toBe(1);
  });

  for (const key of ["n", "sp", "sig"] as const) {
    test(`refuses a crafted ${key} with a typed error before running any code`, async () => {
      let runs = 0;
      const evaluate = createGuardedEvaluator(async (code) => {
        runs++;
        return runInProcess(code);
      });
      const env: PlayerScriptEnv = { n: "abc", sp: "sig", sig: "def", [key]: CRAFTED };
      await expect(evaluate(scriptFor(env), env)).rejects.toBeInstanceOf(UnsafePlayerInputError);
      expect(runs).toBe(0);
      expect(globals.downtubeInjected).toBeUndefined();
    });
  }

  test("refuses code that does not end with the call built from the checked values", async () => {
    const evaluate = createGuardedEvaluator(runInProcess);
    const script = scriptFor({ n: "abc" });
    const tampered = { output: `${script.output}\nglobalThis.downtubeInjected = 1;` };
    await expect(evaluate(tampered, { n: "abc" })).rejects.toBeInstanceOf(UnsafePlayerInputError);
    await expect(evaluate(script, { n: "abd" })).rejects.toBeInstanceOf(UnsafePlayerInputError);
    expect(globals.downtubeInjected).toBeUndefined();
  });
});
