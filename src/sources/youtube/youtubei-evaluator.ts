import { UnsafePlayerInputError, UpstreamError } from "../../core/errors.ts";

/** What youtubei.js hands its evaluator: the player code it cut out, and the values it spliced in. */
export interface PlayerScript {
  /** The extracted player functions followed by `return process("<n>", "<sp>", "<s>");`. */
  readonly output: string;
}
export type PlayerScriptEnv = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** The deciphered values the player code returns. */
export interface PlayerScriptResult {
  readonly sig?: string;
  readonly n?: string;
}

/** Runs checked player code and returns what it evaluates to. */
export type PlayerCodeRunner = (code: string) => Promise<unknown>;

/**
 * Characters YouTube uses in `n`, `s` and `sp` (URL-safe base64, `=`, `.`, and `%` escapes).
 * Nothing here can end a JavaScript string literal, so a value that passes cannot become code.
 */
const SAFE_VALUE = /^[A-Za-z0-9_\-=.%]*$/;
const SPLICED = ["n", "sp", "sig"] as const;

function splicedValue(env: PlayerScriptEnv, key: (typeof SPLICED)[number]): string {
  const value = env[key];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string" || !SAFE_VALUE.test(value)) {
    throw new UnsafePlayerInputError(`YouTube's ${key} value is not in its alphabet: refused, not evaluated`);
  }
  return value;
}

/**
 * youtubei.js's evaluator, made safe to call: youtubei.js splices the `n`, `sp` and `s` values
 * of a /player answer into the code it asks to evaluate, unescaped, so a crafted answer could
 * otherwise run any code in the gateway. Every spliced value must be in YouTube's alphabet and
 * the code must end with exactly the call built from those values; anything else throws
 * `UnsafePlayerInputError` before a line runs. The result must be strings (or absent), else
 * `UpstreamError`.
 */
export function createGuardedEvaluator(run: PlayerCodeRunner) {
  return async (script: PlayerScript, env: PlayerScriptEnv): Promise<PlayerScriptResult> => {
    const [n, sp, sig] = SPLICED.map((key) => splicedValue(env, key));
    const call = `return process("${n}", "${sp}", "${sig}");`;
    if (typeof script.output !== "string" || !script.output.trimEnd().endsWith(call)) {
      throw new UnsafePlayerInputError("the player code to evaluate does not end with the expected call");
    }
    const result = await run(script.output);
    if (typeof result !== "object" || result === null)
      throw new UpstreamError("the player code returned nothing");
    const { sig: sigOut, n: nOut } = result as Record<string, unknown>;
    if (
      (sigOut !== undefined && typeof sigOut !== "string") ||
      (nOut !== undefined && typeof nOut !== "string")
    ) {
      throw new UpstreamError("the player code returned something other than strings");
    }
    return { sig: sigOut, n: nOut };
  };
}
