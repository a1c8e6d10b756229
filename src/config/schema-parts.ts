import { z } from "zod";

/**
 * The small zod pieces every area of the configuration is written with. Messages say, in plain
 * words, what a setting expects: they are what an operator reads when the gateway refuses to start.
 */

/** The environment as given: every value a string or unset. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** An empty value counts as unset (`FOO=` in a unit file or a compose file). */
export const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

/** A whole number of at least `min`, `fallback` when unset; `expected` is the plain sentence of a refusal. */
const wholeNumber = (fallback: number, min: number, expected: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((text) => (text === undefined ? fallback : Number(text.trim())))
      .pipe(z.number({ error: expected }).int(expected).min(min, expected)),
  );

/** A whole number of at least 1 (`what` names the unit), `fallback` when unset. */
export const positive = (fallback: number, what = "number") =>
  wholeNumber(fallback, 1, `expected a whole ${what} of at least 1`);

/** A whole number of at least 0 (`what` names the unit), `fallback` when unset. */
export const nonNegative = (fallback: number, what = "number") =>
  wholeNumber(fallback, 0, `expected a whole ${what} of 0 or more`);

/** `true` or `false`, `fallback` when unset. */
export const flag = (fallback: boolean) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .enum(["true", "false"], { error: "expected true or false" })
      .optional()
      .transform((value) => (value === undefined ? fallback : value === "true")),
  );

/** An optional http(s) URL, as a `URL`. */
export const optionalHttpUrl = z.preprocess(
  emptyAsUndefined,
  z
    .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
    .optional()
    .transform((value) => (value === undefined ? undefined : new URL(value))),
);

/** The non-empty, trimmed items of a comma-separated list. */
export const splitList = (list: string) =>
  list
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** An optional comma-separated list of secrets, each at least `minLength` characters. */
export const secretList = (minLength: number, what: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform(splitList)
      .pipe(
        z
          .array(z.string(), { error: `expected a comma-separated list of ${what}s` })
          .min(1, `expected at least one ${what}`)
          .refine(
            (items) => items.every((item) => item.length >= minLength),
            `expected each ${what} to have at least ${minLength} characters (one of them is shorter)`,
          ),
      )
      .optional(),
  );

/** A comma-separated list, each entry parsed by `parse`; empty or unset is an empty list. */
export const parsedList = <T>(parse: (entry: string) => T | undefined, what: string) =>
  z
    .string()
    .default("")
    .transform((list, context) => {
      const parsed: T[] = [];
      for (const entry of splitList(list)) {
        const value = parse(entry);
        if (value === undefined)
          context.addIssue({ code: "custom", message: `expected ${what}, not ${JSON.stringify(entry)}` });
        else parsed.push(value);
      }
      return parsed;
    });
