import { readFileSync } from "node:fs";
import { z } from "zod";
import { type Environment, positive, secretList } from "./schema-parts.ts";

/** Download tokens: `DOWNTUBE_TOKEN_SECRETS` (or `_FILE`), `DOWNTUBE_TOKEN_TTL`, `DOWNTUBE_TOKEN_MAX_TTL`. */
export const tokenSettings = z
  .object({
    NODE_ENV: z.string().optional(),
    DOWNTUBE_TOKEN_SECRETS: secretList(32, "secret"),
    DOWNTUBE_TOKEN_TTL: positive(3600, "number of seconds"),
    DOWNTUBE_TOKEN_MAX_TTL: positive(6 * 3600, "number of seconds"),
  })
  .refine((env) => env.DOWNTUBE_TOKEN_TTL <= env.DOWNTUBE_TOKEN_MAX_TTL, {
    message: "expected at most DOWNTUBE_TOKEN_MAX_TTL",
    path: ["DOWNTUBE_TOKEN_TTL"],
  })
  .refine((env) => env.NODE_ENV !== "production" || env.DOWNTUBE_TOKEN_SECRETS !== undefined, {
    message: "is required when NODE_ENV=production (tokens must survive restarts and agree across instances)",
    path: ["DOWNTUBE_TOKEN_SECRETS"],
  })
  .transform((env) => ({
    /** Undefined: a random per-process secret is generated (never in production). */
    secrets: env.DOWNTUBE_TOKEN_SECRETS as readonly string[] | undefined,
    ttlSeconds: env.DOWNTUBE_TOKEN_TTL,
    maxTtlSeconds: env.DOWNTUBE_TOKEN_MAX_TTL,
  }));

/**
 * The environment with `DOWNTUBE_TOKEN_SECRETS` read from the file `DOWNTUBE_TOKEN_SECRETS_FILE`
 * names, when set (secrets separated by new lines or commas): systemd credentials and container
 * secrets keep them out of the process environment. Returns the problem instead when the file
 * cannot be read or holds no secret, and when both variables are set.
 */
export function withSecretsFile(environment: Environment): Environment | string {
  const path = environment.DOWNTUBE_TOKEN_SECRETS_FILE;
  if (path === undefined || path === "") return environment;
  const problem = (text: string) => `DOWNTUBE_TOKEN_SECRETS_FILE: ${text}`;
  if (environment.DOWNTUBE_TOKEN_SECRETS) return problem("set this or DOWNTUBE_TOKEN_SECRETS, not both");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return problem(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  const secrets = text.split(/[\r\n,]+/).filter((secret) => secret.trim() !== "");
  if (secrets.length === 0) return problem(`${path} holds no secret`);
  return { ...environment, DOWNTUBE_TOKEN_SECRETS: secrets.join(",") };
}
