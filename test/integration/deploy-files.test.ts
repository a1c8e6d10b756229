import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { type FakeYouTube, startFakeYouTube } from "../../fake-youtube/server.ts";
import { logLines } from "../support/log-lines.ts";
import { thenKill } from "../support/processes.ts";

// What deploy/ ships, run as far as this machine allows: systemd is not PID 1 here and there is
// no container engine, so each file's command line is run the way its runtime would run it.
const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const SECRET = "deploy-files-test-secret-0123456789abcdef";

let youtube: FakeYouTube;
beforeAll(async () => {
  youtube = await startFakeYouTube();
});
afterAll(() => youtube.stop());

/** How a runtime starts the gateway: its command line, directory, environment and stop signal. */
interface Launch {
  readonly argv: string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly stopSignal: NodeJS.Signals;
}

/** `KEY=value KEY2=value2` (systemd's Environment=, Docker's ENV) as a record. */
const pairs = (text: string) =>
  Object.fromEntries(
    text
      .trim()
      .split(/\s+/)
      .map((pair) => pair.split("=") as [string, string]),
  );

/** Starts the gateway as `launch` says, answers a query through it, then stops it with the runtime's signal. */
async function startsAnswersAndDrains(launch: Launch): Promise<void> {
  const server = Bun.spawn(launch.argv, {
    cwd: launch.cwd,
    // Settings an operator gives, and a free port instead of 4000. The runtime's own PATH: no
    // node_modules/.bin on it.
    env: {
      ...launch.env,
      PORT: "0",
      DOWNTUBE_TOKEN_SECRETS: SECRET,
      DOWNTUBE_YOUTUBE_ORIGIN: youtube.origin,
      PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    },
    stdout: "pipe",
    stderr: "inherit",
  });
  const logs = logLines(server.stdout);
  const started = await logs.until("downtube listening");
  await thenKill([server.pid], async () => {
    expect(started.pid).toBe(server.pid);
    const response = await fetch(String(started.graphql), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ video(url: "${VIDEO_IDS.plain}") { id } }` }),
    });
    expect(await response.json()).toEqual({ data: { video: { id: VIDEO_IDS.plain } } });
    server.kill(launch.stopSignal);
    await logs.until("stopped");
    expect(await server.exited).toBe(0);
  });
}

test("deploy/downtube.service: its ExecStart runs Bun directly and its KillSignal drains it", async () => {
  const unit = await Bun.file(join(root, "deploy/downtube.service")).text();
  const service = unit.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? "";
  const settings = new Map<string, string>();
  for (const line of service.split("\n")) {
    const match = /^(\w+)=(.*)$/.exec(line);
    // The unit installs to /opt/downtube; this clone stands in for it.
    if (match?.[1] !== undefined && match[2] !== undefined)
      settings.set(match[1], match[2].replaceAll("/opt/downtube", root));
  }
  await startsAnswersAndDrains({
    argv: (settings.get("ExecStart") ?? "").split(" "),
    cwd: settings.get("WorkingDirectory") ?? "",
    env: pairs(settings.get("Environment") ?? ""),
    stopSignal: settings.get("KillSignal") as NodeJS.Signals,
  });
});

test("deploy/Dockerfile: its CMD, with its ENV, starts Bun directly, and its STOPSIGNAL drains it", async () => {
  const dockerfile = await Bun.file(join(root, "deploy/Dockerfile")).text();
  const instruction = (name: string) => new RegExp(`^${name} (.+)$`, "m").exec(dockerfile)?.[1] ?? "";
  // The image copies the clone's files into WORKDIR; this clone stands in for it.
  expect(instruction("WORKDIR")).toBe("/app");
  await startsAnswersAndDrains({
    argv: JSON.parse(instruction("CMD")) as string[],
    cwd: root,
    env: pairs(instruction("ENV")),
    stopSignal: instruction("STOPSIGNAL") as NodeJS.Signals,
  });
});
