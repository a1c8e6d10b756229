import type { z } from "zod";
import { archiveSettings } from "./archives.ts";
import { captionSettings } from "./captions.ts";
import { clientSettings } from "./clients.ts";
import { ffmpegSettings } from "./ffmpeg.ts";
import { graphqlSettings } from "./graphql.ts";
import { httpSourceSettings } from "./http-source.ts";
import { observabilitySettings } from "./observability.ts";
import { offloadSettings } from "./offload.ts";
import type { Environment } from "./schema-parts.ts";
import { serverSettings } from "./server.ts";
import { storeSettings } from "./stores.ts";
import { tokenSettings, withSecretsFile } from "./tokens.ts";
import { youtubeSettings } from "./youtube.ts";
import { youtubeAccessSettings } from "./youtube-access.ts";

/**
 * Every environment variable downtube reads, one zod schema per area (this folder). This is the
 * only code that looks at the environment: `server.ts` passes `process.env` in once at start-up.
 * The README's configuration table documents each entry with its default.
 */
const areas = {
  server: serverSettings,
  tokens: tokenSettings,
  youtube: youtubeSettings,
  graphql: graphqlSettings,
  clients: clientSettings,
  stores: storeSettings,
  ffmpeg: ffmpegSettings,
  httpSource: httpSourceSettings,
  offload: offloadSettings,
  archives: archiveSettings,
  youtubeAccess: youtubeAccessSettings,
  observability: observabilitySettings,
  captions: captionSettings,
};

type Area<K extends keyof typeof areas> = z.output<(typeof areas)[K]>;

/** The gateway's settings, typed and checked. Durations are in the unit their name says. */
export type Config = Area<"server"> &
  Area<"youtube"> &
  Area<"graphql"> &
  Area<"stores"> & {
    readonly tokens: Area<"tokens">;
    readonly clients: Area<"clients">;
    readonly ffmpeg: Area<"ffmpeg">;
    readonly httpSource: Area<"httpSource">;
    readonly offload: Area<"offload">;
    readonly archives: Area<"archives">;
    readonly youtubeAccess: Area<"youtubeAccess">;
    readonly observability: Area<"observability">;
    readonly captions: Area<"captions">;
  };

/** A configuration that does not parse: every problem, one per line (one problem: one line in all). */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? `invalid configuration: ${problems[0]}`
        : `invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/**
 * Parses the environment once. Throws `ConfigError` listing every bad variable of every area
 * (not only the first) so an operator fixes them all in one go: one plain sentence per setting,
 * naming what it expects.
 */
export function loadConfig(environment: Environment): Config {
  const withFile = withSecretsFile(environment);
  if (typeof withFile === "string") throw new ConfigError([withFile]);
  const problems: string[] = [];
  const parse = <K extends keyof typeof areas>(area: K): Area<K> => {
    const parsed = areas[area].safeParse(withFile);
    if (parsed.success) return parsed.data as Area<K>;
    for (const issue of parsed.error.issues) {
      // The variable's name, never a list index (`DOWNTUBE_TOKEN_SECRETS.0`) that reads like a typo.
      const variable = issue.path.find((part) => typeof part === "string") ?? "(environment)";
      problems.push(`${String(variable)}: ${issue.message}`);
    }
    return undefined as never;
  };
  const config = {
    ...parse("server"),
    ...parse("youtube"),
    ...parse("graphql"),
    ...parse("stores"),
    tokens: parse("tokens"),
    clients: parse("clients"),
    ffmpeg: parse("ffmpeg"),
    httpSource: parse("httpSource"),
    offload: parse("offload"),
    archives: parse("archives"),
    youtubeAccess: parse("youtubeAccess"),
    observability: parse("observability"),
    captions: parse("captions"),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
