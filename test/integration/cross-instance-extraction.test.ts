import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Subprocess } from "bun";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { type FakeYouTube, startFakeYouTube } from "../../fake-youtube/server.ts";
import { prepareDownloadAt } from "../support/downloads.ts";
import { logLines } from "../support/log-lines.ts";
import { startRedis, type TestRedis } from "../support/redis-server.ts";
import { spawnServer } from "../support/server-process.ts";

// Each gateway is its own process, as in a deployment: in one process, ytdl-core's module-wide
// cache would join simultaneous extractions by itself and hide what the lock does.
const SECRET = "cross-instance-secret-of-at-least-32-chars";

let youtube: FakeYouTube;
let redis: TestRedis;
const gateways: { process: Subprocess<"ignore", "pipe", "ignore">; url: URL }[] = [];

async function startGatewayProcess(): Promise<{ process: Subprocess<"ignore", "pipe", "ignore">; url: URL }> {
  const child = spawnServer(
    [],
    {
      NODE_ENV: "test",
      REDIS_URL: redis.url,
      DOWNTUBE_REDIS_TIMEOUT_MS: "2000", // a busy test machine must not make Redis look down
      DOWNTUBE_TOKEN_SECRETS: SECRET,
      DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin,
    },
    "ignore",
  );
  const lines = logLines(child.stdout);
  const started = await lines.until("downtube listening");
  lines.release();
  void child.stdout.pipeTo(new WritableStream()); // keep draining its logs
  return { process: child, url: new URL(String(started.url)) };
}

beforeAll(async () => {
  // The slow video's watch page takes a while: long enough for simultaneous queries to overlap.
  [youtube, redis] = await Promise.all([startFakeYouTube({ slowWatchDelayMs: 400 }), startRedis()]);
  gateways.push(
    ...(await Promise.all([startGatewayProcess(), startGatewayProcess(), startGatewayProcess()])),
  );
}, 30_000); // three processes starting at once on a busy machine can take more than the default 5 s
afterAll(async () => {
  for (const gateway of gateways) gateway.process.kill("SIGTERM");
  await Promise.all(gateways.map((gateway) => gateway.process.exited));
  await Promise.all([youtube.stop(), redis.stop()]);
});

const video = async (url: URL, id: string) => {
  const response = await fetch(new URL("/graphql", url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ video(url: "${id}") { title } }` }),
  });
  return (await response.json()) as {
    data?: { video: { title: string } | null };
    errors?: { extensions: { code: string } }[];
  };
};

test("simultaneous cold video and prepareDownload on three instances make one extraction", async () => {
  youtube.reset();
  const [first, second, third] = gateways.map((gateway) => gateway.url) as [URL, URL, URL];
  const answers = await Promise.all([
    video(first, VIDEO_IDS.slowWatch).then((answer) => answer.data?.video?.title),
    video(second, VIDEO_IDS.slowWatch).then((answer) => answer.data?.video?.title),
    prepareDownloadAt(new URL("/graphql", third), { url: VIDEO_IDS.slowWatch }).then((t) => t.video.title),
    prepareDownloadAt(new URL("/graphql", second), { url: VIDEO_IDS.slowWatch }).then((t) => t.video.title),
  ]);
  expect(answers.every((title) => typeof title === "string" && title === answers[0])).toBe(true);
  expect(youtube.hits.count("watch", VIDEO_IDS.slowWatch)).toBe(1);
});

test("when the extracting instance fails, the others answer too instead of waiting on it", async () => {
  const answers = await Promise.all(gateways.map((gateway) => video(gateway.url, VIDEO_IDS.failingWatch)));
  expect(answers.map((answer) => answer.errors?.[0]?.extensions.code)).toEqual([
    "UPSTREAM_ERROR",
    "UPSTREAM_ERROR",
    "UPSTREAM_ERROR",
  ]);
});
