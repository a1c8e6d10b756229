/**
 * `npm run bench -- peers`: downtube against the reference peers, in one run, on 127.0.0.1 only.
 *
 * 1. `shared/peers/setup.sh` (beside the repository; idempotent) installs the peers and makes
 *    big.mp4 (512 MiB) and small.mp4 (16 MiB) in `$PEERS_WORK`.
 * 2. The simulated YouTube starts here with two extra videos whose one format lives on run.sh's
 *    nginx origin (`/videoplayback` checks the URL, then redirects to 127.0.0.1:18080), and the
 *    gateway starts twice as its own process, production mode: `gateway` as `npm start` runs it
 *    (the JS path), `downtube+nginx` as `npm run start:nginx` does (nginx in front, offloading).
 *    Download URLs are minted before run.sh starts that origin: `prepareDownload` needs metadata
 *    only (the offload mode's first download learns the redirect's target then).
 * 3. `shared/peers/run.sh` measures the gateway among its peers (EXTRA_PEERS / EXTRA_URLS).
 * 4. Then: 100 simultaneous cold `video` queries (how many extractions?), a cached `video` query
 *    against a bare graphql-yoga hello world under `hey`, token sign/verify rates.
 */
import os from "node:os";
import { join } from "node:path";
import { startFakeYouTube } from "../../fake-youtube/server.ts";
import { loadConfig } from "../../src/config/config.ts";
import { type BenchContext, flagValue, type PartResult } from "../lib/bench-context.ts";
import { measureColdExtraction } from "../lib/cold-extraction.ts";
import { mintDownload, REPO, startGatewayProcess } from "../lib/gateway.ts";
import { graphql } from "../lib/graphql-client.ts";
import { stopNginxes } from "../lib/nginx.ts";
import {
  ensureSetup,
  peerFiles,
  peersWorkDir,
  type RunKnobs,
  readPeerResults,
  runPeers,
} from "../lib/peers.ts";
import { startServer } from "../lib/processes.ts";
import { HELLO_QUERY, loadInterleaved, loggedUrl, startHello } from "../lib/query-compare.ts";
import type { Load } from "../lib/query-load.ts";
import { type BenchReport, renderReport, reportHeadline } from "../lib/report.ts";
import { SLICES_PEER, startSliceReference } from "../lib/slice-reference.ts";
import { measureTokenRates } from "../lib/token-rate.ts";

/**
 * run.sh's peers started here: the proxies that set the targets and the naive ones. The two
 * Django peers are left out: they set no target and took most of a run's time (a third of its
 * 900 s watchdog on a busy machine).
 */
const PEERS = "direct nginx-tuned nginx bun node";

/** How much of everything to do. */
const plan = (quick: boolean) =>
  quick
    ? {
        knobs: {
          REPS: 1,
          CONC: 16,
          CONC_N: 32,
          CONC_REPS: 1,
          TTFB_N: 3,
          MAX_S: 600,
          PEERS,
        } satisfies RunKnobs,
        warmup: { requests: 320, concurrency: 16 } satisfies Load,
        load: { requests: 1000, concurrency: 16 } satisfies Load,
        queryReps: 1,
        tokenReps: 1,
        tokenMs: 300,
      }
    : {
        knobs: {
          REPS: 7,
          CONC: 16,
          CONC_N: 128,
          CONC_REPS: 5,
          TTFB_N: 20,
          MAX_S: 900,
          PEERS,
        } satisfies RunKnobs,
        warmup: { requests: 3000, concurrency: 32 } satisfies Load,
        load: { requests: 20000, concurrency: 32 } satisfies Load,
        queryReps: 3,
        tokenReps: 3,
        tokenMs: 1000,
      };

const ORIGIN = "http://127.0.0.1:18080"; // run.sh's nginx origin
/** The slice size the offload mode here runs with: DOWNTUBE_NGINX_SLICE_BYTES's default. */
const SLICE_BYTES = loadConfig({}).offload.sliceBytes;
const BIG_ID = "PeerBig0001";
const SMALL_ID = "PeerSmall01";
const COLD_ID = "Plain000001";
const VIDEO_QUERY = `{ video(url: "https://youtu.be/${COLD_ID}") { id title author { name } durationSeconds viewCount formats { itag mimeType contentLength } } }`;
const TOKEN_LIFE_S = 4 * 3600;
/** The gateway's listener with nothing of the gateway (bench/peers/node-http-pump.ts). */
const LISTENER_PEER = "bun-node-http";
/** The JS path of another checkout, with `--baseline DIR`. */
const BASELINE_PEER = "gateway-before";
/** The offload mode: nginx in front of the gateway (`npm run start:nginx`). */
const OFFLOAD_PEER = "downtube+nginx";

const step = (text: string) => console.log(`\n== bench peers: ${text}`);

/** The peers part: see the file's comment. */
export async function peersPart(context: BenchContext): Promise<PartResult> {
  const { quick, workDir, env, started } = context;
  const PLAN = plan(quick);
  const peerVersions = await ensureSetup(context);
  const files = peerFiles(peersWorkDir(env));

  step("simulated YouTube and the gateway");
  const youtube = await startFakeYouTube({
    externalMedia: {
      [BIG_ID]: { url: `${ORIGIN}/${files.big.name}`, bytes: files.big.bytes },
      [SMALL_ID]: { url: `${ORIGIN}/${files.small.name}`, bytes: files.small.bytes },
    },
  });
  context.onStop(() => youtube.stop());
  const gateway = await startGatewayProcess(youtube.origin, workDir);
  const offload = await startGatewayProcess(youtube.origin, workDir, "nginx");
  const listener = await startServer({
    name: LISTENER_PEER,
    cmd: [process.execPath, "bench/peers/node-http-pump.ts"],
    cwd: REPO,
    env: { ...env, ORIGIN },
    logPath: join(workDir, `${LISTENER_PEER}.log`),
    urlFrom: loggedUrl,
  });
  const slices = await startSliceReference(workDir, new URL(ORIGIN).host, SLICE_BYTES);
  console.log(`gateway pid ${gateway.pid} on ${gateway.url}, simulated YouTube on ${youtube.origin}`);
  console.log(`${OFFLOAD_PEER}: pid ${offload.pid} (nginx is its child) on ${offload.url}`);
  const bigUrl = await mintDownload(gateway.url, BIG_ID, TOKEN_LIFE_S, files.big.bytes);
  const smallUrl = await mintDownload(gateway.url, SMALL_ID, TOKEN_LIFE_S, files.small.bytes);
  // `--baseline DIR`: the JS path of another checkout (e.g. the code before a change), measured
  // in the same run as `gateway-before`.
  const baselineDir = flagValue("--baseline");
  const baseline =
    baselineDir === undefined
      ? undefined
      : await startGatewayProcess(youtube.origin, workDir, "js", baselineDir);
  const baselinePeer =
    baseline === undefined
      ? []
      : [
          {
            name: BASELINE_PEER,
            pid: baseline.pid,
            urlPrefix: new URL("/download/", baseline.url).href,
            urls: {
              [files.big.name]: await mintDownload(baseline.url, BIG_ID, TOKEN_LIFE_S, files.big.bytes),
              [files.small.name]: await mintDownload(baseline.url, SMALL_ID, TOKEN_LIFE_S, files.small.bytes),
            },
          },
        ];
  const offloadUrls = {
    [files.big.name]: await mintDownload(offload.url, BIG_ID, TOKEN_LIFE_S, files.big.bytes),
    [files.small.name]: await mintDownload(offload.url, SMALL_ID, TOKEN_LIFE_S, files.small.bytes),
  };

  step("run.sh (the gateway measured among the peers)");
  const resultsDir = await runPeers(
    PLAN.knobs,
    [
      {
        name: "gateway",
        pid: gateway.pid,
        urlPrefix: new URL("/download/", gateway.url).href,
        urls: { [files.big.name]: bigUrl, [files.small.name]: smallUrl },
      },
      {
        name: OFFLOAD_PEER,
        pid: offload.pid,
        urlPrefix: new URL("/download/", offload.url).href,
        urls: offloadUrls,
      },
      {
        name: LISTENER_PEER,
        pid: listener.pid,
        urlPrefix: new URL("/download/", listener.url).href,
        urls: {},
      },
      { name: SLICES_PEER, pid: slices.pid, urlPrefix: slices.urlPrefix, urls: {} },
      ...baselinePeer,
    ],
    env,
  );
  await baseline?.stop();
  await listener.stop();
  await stopNginxes();
  await offload.stop();
  const peers = readPeerResults(resultsDir);

  step(`100 simultaneous cold video queries (${COLD_ID})`);
  const cold = await measureColdExtraction(gateway.url, youtube, COLD_ID, VIDEO_QUERY, 100);
  console.log(cold);

  step("cached video query vs a bare graphql-yoga hello world (hey)");
  await graphql(gateway.url, VIDEO_QUERY);
  const helloNode = await startHello("yoga-hello-node", [], workDir, env);
  const helloBun = await startHello("yoga-hello-bun", ["--bun-serve"], workDir, env);
  await graphql(helloNode.url, HELLO_QUERY);
  await graphql(helloBun.url, HELLO_QUERY);
  const servers = await loadInterleaved(
    [
      {
        name: "gateway",
        what: "cached `video` query, node:http",
        url: gateway.url,
        query: VIDEO_QUERY,
        pid: gateway.pid,
      },
      {
        // The gateway's cost per request before any field runs: its listener, route, limits,
        // yoga's pipeline with its plugins, logs and metrics, with a query that resolves nothing.
        name: "gateway-typename",
        what: "`{ __typename }` through the same gateway, node:http",
        url: gateway.url,
        query: "{ __typename }",
        pid: gateway.pid,
      },
      {
        name: "yoga-hello-node",
        what: "`{ hello }`, node:http (as the gateway)",
        url: helloNode.url,
        query: HELLO_QUERY,
        pid: helloNode.pid,
      },
      {
        name: "yoga-hello-bun",
        what: "`{ hello }`, Bun.serve",
        url: helloBun.url,
        query: HELLO_QUERY,
        pid: helloBun.pid,
      },
    ],
    { warmup: PLAN.warmup, load: PLAN.load, reps: PLAN.queryReps },
  );
  await helloNode.stop();
  await helloBun.stop();

  step("token sign / verify rates");
  const tokens = await measureTokenRates(PLAN.tokenReps, PLAN.tokenMs);
  console.log(tokens);

  const cpus = os.cpus();
  const report: BenchReport = {
    mode: quick ? "quick" : "full",
    machine: {
      date: started,
      cpu: cpus[0]?.model ?? "unknown",
      cores: cpus.length,
      memoryGiB: os.totalmem() / 2 ** 30,
      kernel: `${os.type()} ${os.release()}`,
      bun: Bun.version,
      peerVersions,
    },
    knobs: PLAN.knobs,
    gateway: "gateway",
    offload: OFFLOAD_PEER,
    listener: LISTENER_PEER,
    slices: SLICES_PEER,
    baseline: baseline === undefined ? undefined : BASELINE_PEER,
    setup:
      "The gateway ran as its own process (`bun src/server.ts`, NODE_ENV=production, defaults apart from " +
      "DOWNTUBE_TOKEN_MAX_TTL and DOWNTUBE_CACHE_TTL raised to a day so nothing expires or re-extracts " +
      "mid-run; DOWNTUBE_UPSTREAM_CHUNK_BYTES at its 10 MiB default). Its YouTube was the simulated one, " +
      "in the bench process, whose two extra videos declare big.mp4 and small.mp4 with their exact sizes. " +
      "DOWNTUBE_YOUTUBE_ORIGIN routes media requests to the simulated YouTube as well, so each ranged " +
      "origin request (one per 10 MiB: 52 for big.mp4, 2 for small.mp4) goes to run.sh's nginx origin; " +
      "the first of each download through a 302 of the simulation (an extra loopback round trip, whose " +
      "CPU counts as noise, not as the gateway's), the next ones straight to the redirect's target. " +
      "Downloads used URLs minted by `prepareDownload` before run.sh started. " +
      `\`${LISTENER_PEER}\` (bench/peers/node-http-pump.ts) is the gateway's listener with nothing of ` +
      "the gateway: Bun's node:http server with the gateway's own toNodeListener and a handler that " +
      "passes the origin's fetch body through, Content-Length kept. It is a reference, not a peer to beat: the ceiling of the listener the gateway must use " +
      "while Bun.serve drops Content-Length (the `bun` peer is Bun.serve's native pipe, without it). " +
      `\`${OFFLOAD_PEER}\` is the gateway as \`npm run start:nginx\` runs it: Debian's nginx in front ` +
      "(its config generated by the gateway, slice module, 10 MiB slices), the gateway behind it deciding " +
      "and answering with X-Accel-Redirect; nginx fetches run.sh's origin itself (the target the " +
      "gateway resolved: the simulation's 302, followed once and remembered) and carries the bytes. " +
      "Its PID is the gateway's, so its CPU and memory include nginx's master and workers. " +
      `\`${SLICES_PEER}\` (bench/lib/slice-reference.ts) is a reference too: that nginx data path with ` +
      "nothing of the gateway (the same slices, buffers and new origin connection per slice, without the " +
      "redirect before it and the slice guard), so the offload mode divided by it shows what the gateway " +
      "adds, and it divided by nginx-tuned what reading the origin in slices costs on this machine.",
    peers,
    queries: { load: PLAN.load, query: VIDEO_QUERY, servers },
    tokens,
    cold,
  };
  const correct = (peer: string) =>
    peers.values(peer, "sha_ok").join() === "yes" && peers.values(peer, "range").join() === "yes";
  const gatewayOk = correct("gateway") && correct(OFFLOAD_PEER);
  if (!gatewayOk) console.error("bench: a gateway peer failed run.sh's correctness checks (sha256 / Range)");
  if (cold.watchPages !== 1) console.error(`bench: ${cold.watchPages} extractions for one cold video, not 1`);
  return {
    markdown: renderReport(report),
    headline: reportHeadline(report),
    ok: gatewayOk && cold.watchPages === 1,
  };
}
