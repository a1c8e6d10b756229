/**
 * The gateway under test: `bun src/server.ts` in its own process, as `npm start` runs it, in
 * production mode against the simulated YouTube.
 */
import { join, resolve } from "node:path";
import { graphql } from "./graphql-client.ts";
import { type ChildServer, startServer } from "./processes.ts";

/** The repository root. */
export const REPO = resolve(import.meta.dir, "../..");

/** Reads the gateway's "downtube listening" log line. */
function listeningUrl(line: string): URL | undefined {
  if (!line.includes("downtube listening")) return undefined;
  const { url } = JSON.parse(line) as { url?: string };
  return url === undefined ? undefined : new URL(url);
}

/** A fresh random secret, long enough for `DOWNTUBE_TOKEN_SECRETS`. */
function benchSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

/** Environment variables that would change what is measured if inherited from the caller. */
const GATEWAY_VARIABLES = /^(DOWNTUBE_|PUBLIC_URL$|REDIS_URL$|HOST$|PORT$|NODE_ENV$)/;

/** How the gateway runs: `js` as `npm start`; `nginx` as `npm run start:nginx` (nginx in front, offloading). */
export type GatewayMode = "js" | "nginx";

/**
 * Starts the gateway on a free port of 127.0.0.1 (with `nginx`: nginx there, the gateway behind
 * it). Tokens may live a day and metadata stays cached a day, so a run never re-extracts
 * mid-measurement; everything else is the default. `checkout` is the source tree it runs from
 * (another checkout: a baseline measured in the same run), `name` names it in logs.
 */
export function startGatewayProcess(
  youtubeOrigin: string,
  workDir: string,
  mode: GatewayMode = "js",
  /** Another checkout of the gateway (a baseline to compare with); its log gets its own name. */
  repo: string = REPO,
  /** Settings that differ from the benchmark's (e.g. another DOWNTUBE_UPSTREAM_CHUNK_BYTES). */
  overrides: Readonly<Record<string, string>> = {},
  label = "",
  /** Flags for bun itself before the script, e.g. `--cpu-prof` to profile the gateway. */
  bunFlags: readonly string[] = [],
): Promise<ChildServer> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !GATEWAY_VARIABLES.test(k)),
  );
  const name = `${mode === "js" ? "gateway" : "gateway-nginx"}${repo === REPO ? "" : "-baseline"}${label}`;
  return startServer({
    name,
    cmd: [process.execPath, ...bunFlags, "src/server.ts", ...(mode === "nginx" ? ["--nginx"] : [])],
    cwd: repo,
    env: {
      ...inherited,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      DOWNTUBE_YOUTUBE_ORIGIN: youtubeOrigin,
      DOWNTUBE_TOKEN_SECRETS: benchSecret(),
      DOWNTUBE_TOKEN_MAX_TTL: "86400",
      DOWNTUBE_CACHE_TTL: "86400",
      // Every benchmark client comes from 127.0.0.1, so per-client limits would measure the
      // limiter, not the streaming; the query load alone sends tens of thousands of requests.
      DOWNTUBE_RATE_LIMIT_METADATA: "10000000",
      DOWNTUBE_RATE_LIMIT_PREPARE: "10000000",
      DOWNTUBE_RATE_LIMIT_DOWNLOAD: "10000000",
      DOWNTUBE_MAX_STREAMS: "1000",
      DOWNTUBE_MAX_STREAMS_PER_CLIENT: "1000",
      ...overrides,
    },
    logPath: join(workDir, `${name}.log`),
    urlFrom: listeningUrl,
  });
}

/**
 * Mints a download URL for the default format of `videoId`, valid for `expiresIn` seconds.
 * @throws Error when the gateway does not declare `expectedBytes` as its size.
 */
export async function mintDownload(
  base: URL,
  videoId: string,
  expiresIn: number,
  expectedBytes: number,
): Promise<string> {
  const data = await graphql<{ prepareDownload: { url: string; contentLength: number | null } }>(
    base,
    `mutation { prepareDownload(input: { url: "${videoId}", expiresIn: ${expiresIn} }) { url contentLength } }`,
  );
  const { url, contentLength } = data.prepareDownload;
  if (contentLength !== expectedBytes) {
    throw new Error(`prepareDownload declared ${contentLength} bytes for ${videoId}, not ${expectedBytes}`);
  }
  return url;
}
