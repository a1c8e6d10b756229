/**
 * The simulated YouTube's strict modes, checked directly over sockets (no gateway): what the
 * gateway's tests of cookies, PO tokens and egress proxies rely on is that it is strict at all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import http from "node:http";
import { VIDEO_IDS } from "./catalog.ts";
import { type FakeYouTube, startFakeYouTube } from "./server.ts";

let fake: FakeYouTube;
beforeAll(async () => {
  fake = await startFakeYouTube();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  fake.strict.modes.botCheck = false;
  fake.strict.modes.poToken = false;
  fake.strict.modes.bindAddress = false;
});

type PlayerAnswer = {
  playabilityStatus: { status: string; reason?: string };
  streamingData?: { formats: { url: string }[] };
};

async function player(
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<PlayerAnswer> {
  const response = await fetch(`${fake.origin}/youtubei/v1/player`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ videoId: VIDEO_IDS.plain, context: { client: { clientName: "WEB" } }, ...body }),
  });
  return (await response.json()) as PlayerAnswer;
}

/** A GET from `localAddress` (a 127.0.0.x of this machine), as a proxy there would send it. */
function getFrom(localAddress: string, url: string, range: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { localAddress, headers: { range } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
  });
}

describe("bot checks", () => {
  test("a player request from a flagged address gets LOGIN_REQUIRED in YouTube's words, and no formats", async () => {
    fake.strict.modes.botCheck = true;
    const answer = await player({});
    expect(answer.playabilityStatus).toMatchObject({
      status: "LOGIN_REQUIRED",
      reason: "Sign in to confirm you\u2019re not a bot",
    });
    expect(answer.streamingData).toBeUndefined();
  });

  test("a signed-in cookie or a genuine PO token bound to the request's visitor data gets through; others do not", async () => {
    fake.strict.modes.botCheck = true;
    const visitorData = "CgtWaXNpdG9y";
    const token = fake.strict.mintPoToken(visitorData);
    const withToken = (poToken: string, visitor: string) =>
      player({
        context: { client: { clientName: "WEB", visitorData: visitor } },
        serviceIntegrityDimensions: { poToken },
      });
    expect((await player({}, { cookie: "SID=abc; PREF=x" })).playabilityStatus.status).toBe("OK");
    expect((await player({}, { cookie: "PREF=x" })).playabilityStatus.status).toBe("LOGIN_REQUIRED");
    expect((await withToken(token, visitorData)).playabilityStatus.status).toBe("OK");
    expect((await withToken(token, "CgtPdGhlcg")).playabilityStatus.status).toBe("LOGIN_REQUIRED");
    expect((await withToken(`${token}x`, visitorData)).playabilityStatus.status).toBe("LOGIN_REQUIRED");
  });

  test("only the listed addresses are checked when a list is given", async () => {
    fake.strict.modes.botCheck = ["127.0.0.9"];
    expect((await player({})).playabilityStatus.status).toBe("OK");
  });
});

describe("media", () => {
  async function mediaUrl(): Promise<string> {
    const answer = await player({});
    const url = answer.streamingData?.formats[0]?.url;
    if (url === undefined) throw new Error("no format");
    return url;
  }

  test("in PO-token mode, the first bytes come without a token, anything past them needs a genuine pot", async () => {
    fake.strict.modes.poToken = true;
    fake.strict.modes.freeBytes = 1024;
    const url = await mediaUrl();
    const status = async (target: string, range: string) => {
      const response = await fetch(target, { headers: { range } });
      await response.body?.cancel();
      return response.status;
    };
    expect(await status(url, "bytes=0-1023")).toBe(206);
    expect(await status(url, "bytes=0-4095")).toBe(403);
    expect(await status(`${url}&pot=not-genuine`, "bytes=0-4095")).toBe(403);
    expect(await status(`${url}&pot=${fake.strict.mintPoToken("any-visitor")}`, "bytes=0-4095")).toBe(206);
  });

  test("with address binding, a media URL answers only the address that extracted it", async () => {
    fake.strict.modes.bindAddress = true;
    const url = await mediaUrl();
    expect(new URL(url).searchParams.get("ip")).toBe("127.0.0.1");
    expect(await getFrom("127.0.0.1", url, "bytes=0-99")).toBe(206);
    expect(await getFrom("127.0.0.2", url, "bytes=0-99")).toBe(403);
    expect(fake.hits.filter("media").map((hit) => hit.address)).toEqual(["127.0.0.1", "127.0.0.2"]);
  });
});
