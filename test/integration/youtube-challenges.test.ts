import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gql } from "@urql/core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { prepareDownload } from "../support/downloads.ts";
import { metric } from "../support/metrics.ts";
import { errorCodes, type Stack, startStack, TEST_EXTRACTORS } from "../support/stack.ts";

const VIDEO = gql`
  query Video($url: String!) {
    video(url: $url) { id title }
  }
`;

const sha256 = (bytes: ArrayBuffer) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

/** A Netscape cookies.txt line (tab-separated), as browser exporters write it. */
const cookieLine = (domain: string, name: string, value: string, secure = "TRUE") =>
  [domain, "TRUE", "/", secure, "0", name, value].join("\t");

let dir: string;
const stacks: Stack[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "downtube-cookies-"));
});
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.stop();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function strictStack(env: Record<string, string> = {}): Promise<Stack> {
  const stack = await startStack(env, { strict: { botCheck: true } });
  stacks.push(stack);
  return stack;
}

async function readyz(stack: Stack): Promise<Record<string, unknown>> {
  return (await (await fetch(new URL("/readyz", stack.gateway.url))).json()) as Record<string, unknown>;
}

describe("a YouTube that bot-checks the gateway's address", () => {
  test("with nothing configured, a video is YOUTUBE_CHALLENGE saying what an operator can add, after every extractor tried", async () => {
    const stack = await strictStack();
    const result = await stack.client.query(VIDEO, { url: VIDEO_IDS.plain }).toPromise();
    expect(errorCodes(result.error)).toEqual(["YOUTUBE_CHALLENGE"]);
    const message = result.error?.graphQLErrors[0]?.message ?? "";
    expect(message).toContain("DOWNTUBE_YOUTUBE_COOKIES_FILE");
    expect(message).toContain("DOWNTUBE_YOUTUBE_PO_TOKEN");
    expect(message).toContain("DOWNTUBE_EGRESS_PROXIES");
    // The simulated YouTube answered its own words, to every extractor of the run.
    for (const extractor of TEST_EXTRACTORS.split(",")) {
      expect(
        await metric(stack, `downtube_extractions_total{extractor="${extractor}",outcome="challenged"}`),
      ).toBe(1);
    }
    expect(await metric(stack, 'downtube_youtube_challenges_total{egress="default",kind="bot_check"}')).toBe(
      1,
    );
    expect(await readyz(stack)).toMatchObject({ status: "ready", egress: { default: "challenged" } });
  });

  test("the HTTP routes answer 503 with Retry-After and the JSON error", async () => {
    const stack = await strictStack();
    const response = await fetch(new URL(`/api/downtube?video_url=${VIDEO_IDS.plain}`, stack.gateway.url), {
      redirect: "manual",
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("YOUTUBE_CHALLENGE");
  });

  test("a challenge is never cached as the video's verdict: once YouTube lets the address through, the video works", async () => {
    const stack = await strictStack();
    const first = await stack.client.query(VIDEO, { url: VIDEO_IDS.cipher }).toPromise();
    expect(errorCodes(first.error)).toEqual(["YOUTUBE_CHALLENGE"]);
    stack.youtube.strict.modes.botCheck = false;
    const second = await stack.client.query(VIDEO, { url: VIDEO_IDS.cipher }).toPromise();
    expect(second.error).toBeUndefined();
    expect(second.data?.video?.id).toBe(VIDEO_IDS.cipher);
    expect(await readyz(stack)).toMatchObject({ egress: { default: "ok" } });
  });

  test("private and age-restricted videos keep their own codes", async () => {
    const stack = await strictStack();
    stack.youtube.strict.modes.botCheck = false;
    const codes = await Promise.all(
      [VIDEO_IDS.private, VIDEO_IDS.ageRestricted].map(
        async (id) => errorCodes((await stack.client.query(VIDEO, { url: id }).toPromise()).error)[0],
      ),
    );
    expect(codes).toEqual(["VIDEO_PRIVATE", "AGE_RESTRICTED"]);
  });
});

describe("a cookies file (DOWNTUBE_YOUTUBE_COOKIES_FILE)", () => {
  test("a signed-in account's cookies open metadata and downloads, byte for byte", async () => {
    const file = join(dir, "signed-in.txt");
    await writeFile(
      file,
      [
        "# Netscape HTTP Cookie File",
        cookieLine(".youtube.com", "SID", "signed-in-session"),
        `#HttpOnly_${cookieLine(".youtube.com", "__Secure-3PSID", "secure-session")}`,
        cookieLine(".example.com", "ELSEWHERE", "never-sent"),
        "",
      ].join("\n"),
    );
    const stack = await strictStack({ DOWNTUBE_YOUTUBE_COOKIES_FILE: file });
    const ticket = await prepareDownload(stack, { url: VIDEO_IDS.plain, format: { itag: 18 } });
    const response = await fetch(ticket.url);
    expect(response.status).toBe(200);
    const origin = stack.youtube.media.get(18);
    if (origin === undefined) throw new Error("the simulated YouTube serves no itag 18");
    expect(sha256(await response.arrayBuffer())).toBe(sha256(await Bun.file(origin.path).arrayBuffer()));

    const metadata = stack.youtube.hits.all.filter((hit) => hit.kind === "watch" || hit.kind === "youtubei");
    expect(metadata.length).toBeGreaterThan(0);
    for (const hit of metadata) {
      expect(hit.headers.cookie).toContain("SID=signed-in-session");
      expect(hit.headers.cookie).toContain("__Secure-3PSID=secure-session");
    }
    // The media host is not youtube.com: its requests carry none; another site's cookie goes nowhere.
    for (const hit of stack.youtube.hits.filter("media")) expect(hit.headers.cookie).toBeUndefined();
    for (const hit of stack.youtube.hits.all) expect(hit.headers.cookie ?? "").not.toContain("ELSEWHERE");
    expect(stack.logs.join("\n")).not.toContain("signed-in-session");
  });

  test("is read again when it changes: cookies of a signed-in account exported later work without a restart", async () => {
    const file = join(dir, "replaced.txt");
    await writeFile(file, `${cookieLine(".youtube.com", "PREF", "f6=40000000")}\n`);
    const stack = await strictStack({ DOWNTUBE_YOUTUBE_COOKIES_FILE: file });
    const before = await stack.client.query(VIDEO, { url: VIDEO_IDS.plain }).toPromise();
    expect(errorCodes(before.error)).toEqual(["YOUTUBE_CHALLENGE"]);
    const asked = stack.youtube.hits.all.filter((hit) => hit.kind === "watch" || hit.kind === "youtubei");
    expect(asked.at(-1)?.headers.cookie ?? "").toContain("PREF=");

    await writeFile(
      file,
      `${cookieLine(".youtube.com", "PREF", "f6=40000000")}\n${cookieLine(".youtube.com", "SID", "later")}\n`,
    );
    const after = await stack.client.query(VIDEO, { url: VIDEO_IDS.plain }).toPromise();
    expect(after.error).toBeUndefined();
    expect(after.data?.video?.id).toBe(VIDEO_IDS.plain);
  });

  test("a file that turns malformed keeps the cookies read before, with a warning naming the line", async () => {
    const file = join(dir, "broken-later.txt");
    await writeFile(file, `${cookieLine(".youtube.com", "SID", "good")}\n`);
    const stack = await strictStack({ DOWNTUBE_YOUTUBE_COOKIES_FILE: file });
    expect((await stack.client.query(VIDEO, { url: VIDEO_IDS.plain }).toPromise()).error).toBeUndefined();
    await writeFile(file, `# exported\n${cookieLine(".youtube.com", "SID", "good")}\nnot a cookie line\n`);
    const after = await stack.client.query(VIDEO, { url: VIDEO_IDS.cipher }).toPromise();
    expect(after.error).toBeUndefined();
    const warning = stack.logs.find((line) => line.includes("does not parse"));
    expect(warning).toContain("line 3");
    expect(warning).not.toContain("good");
  });
});
