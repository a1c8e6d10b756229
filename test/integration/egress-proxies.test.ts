import { afterEach, describe, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { PLAYLIST_IDS } from "../../fake-youtube/playlists.ts";
import { startFakePoTokenProvider } from "../../fake-youtube/po-token-provider.ts";
import type { FakeYouTube } from "../../fake-youtube/server.ts";
import { createEgressPool } from "../../src/sources/youtube/egress-pool.ts";
import { prepareDownload } from "../support/downloads.ts";
import { type ForwardProxy, startForwardProxy } from "../support/forward-proxy.ts";
import { metric } from "../support/metrics.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const VIDEO = gql`
  query Video($url: String!) {
    video(url: $url) { id }
  }
`;

const sha256 = (bytes: ArrayBuffer) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await thing.stop();
});

/** Two real forward proxies on their own loopback addresses, named `a` and `b` for the gateway. */
async function twoProxies(): Promise<{ a: ForwardProxy; b: ForwardProxy; setting: string }> {
  const [a, b] = await Promise.all([startForwardProxy("127.0.0.2"), startForwardProxy("127.0.0.3")]);
  running.push(a, b);
  return { a, b, setting: `a=${a.url},b=${b.url}` };
}

/** Every address the simulated YouTube saw asking about `id`, by what was asked. */
function addressesOf(youtube: FakeYouTube, id: string): { metadata: Set<string>; media: Set<string> } {
  const about = youtube.hits.all.filter((hit) => hit.videoId === id);
  const of = (kinds: string[]) =>
    new Set(about.filter((hit) => kinds.includes(hit.kind)).map((hit) => hit.address ?? "?"));
  return { metadata: of(["watch", "youtubei"]), media: of(["media"]) };
}

async function downloadsExactly(stack: Stack, id: string, itag: number, ticketUrl?: string): Promise<void> {
  const url = ticketUrl ?? (await prepareDownload(stack, { url: id, format: { itag } })).url;
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const file = stack.youtube.media.get(itag as 18);
  if (file === undefined) throw new Error(`the simulated YouTube serves no itag ${itag}`);
  expect(sha256(await response.arrayBuffer())).toBe(sha256(await Bun.file(file.path).arrayBuffer()));
}

describe("egress proxies (DOWNTUBE_EGRESS_PROXIES) and media URLs bound to the extracting address", () => {
  test("each video's metadata and media leave through one proxy, the address YouTube bound its URLs to", async () => {
    const { a, b, setting } = await twoProxies();
    const provider = startFakePoTokenProvider({ mint: (binding) => `token-for-${binding}` });
    running.push(provider);
    const stack = await startStack(
      { DOWNTUBE_EGRESS_PROXIES: setting, DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER: provider.url },
      { strict: { bindAddress: true } },
    );
    running.push(stack);
    // expiredOnce: its first URL is refused, so the refresh extracts and downloads again.
    const ids = [VIDEO_IDS.plain, VIDEO_IDS.cipher, VIDEO_IDS.expiredOnce];
    for (const id of ids) await downloadsExactly(stack, id, 18);

    for (const id of ids) {
      const { metadata, media } = addressesOf(stack.youtube, id);
      expect(metadata.size).toBe(1);
      expect([a.address, b.address]).toContain([...metadata][0] ?? "");
      expect(media).toEqual(metadata);
    }
    // Nothing went out from the gateway's own address.
    expect(stack.youtube.hits.all.filter((hit) => hit.address === "127.0.0.1")).toEqual([]);
    // The provider was told which proxy each token's extraction leaves through.
    for (const request of provider.requests) expect([a.url, b.url]).toContain(String(request.proxy));
    expect((await (await fetch(new URL("/readyz", stack.gateway.url))).json()).egress).toEqual({
      a: "ok",
      b: "ok",
    });
  });

  test("both inputs of a merge leave through the proxy that extracted the video", async () => {
    const { a, b, setting } = await twoProxies();
    const stack = await startStack({ DOWNTUBE_EGRESS_PROXIES: setting }, { strict: { bindAddress: true } });
    running.push(stack);
    const merged = await prepareDownload(stack, { url: VIDEO_IDS.cipher, format: { kind: "MERGED" } });
    const response = await fetch(merged.url);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const { metadata, media } = addressesOf(stack.youtube, VIDEO_IDS.cipher);
    expect([a.address, b.address]).toContain([...metadata][0] ?? "");
    expect(media).toEqual(metadata);
    const itags = new Set(stack.youtube.hits.filter("media", VIDEO_IDS.cipher).map((hit) => hit.query.itag));
    expect(itags.size).toBe(2);
  });

  test("an egress YouTube keeps challenging rests, the next one takes its videos, and a download extracted through it still leaves through it", async () => {
    const { a, b, setting } = await twoProxies();
    const stack = await startStack({ DOWNTUBE_EGRESS_PROXIES: setting }, { strict: { bindAddress: true } });
    running.push(stack);
    // The gateway's own choice of egress, to find two videos that leave through the same proxy
    // (of five videos and two proxies, one proxy takes at least three).
    const pool = createEgressPool({
      egresses: [
        { id: "a", proxy: a.url },
        { id: "b", proxy: b.url },
      ],
      clock: Date.now,
      restAfter: 3,
      restMs: 60_000,
    });
    const candidates = [
      VIDEO_IDS.plain,
      VIDEO_IDS.cipher,
      VIDEO_IDS.mediaTrickle,
      VIDEO_IDS.expiredOnce,
      VIDEO_IDS.large,
    ];
    const onA = candidates.filter((id) => pool.choose(id).id === "a");
    const [busy, other] = onA.length >= 2 ? (["a", "b"] as const) : (["b", "a"] as const);
    const proxies = { a, b };
    const [kept, moved] = candidates.filter((id) => pool.choose(id).id === busy);
    if (kept === undefined || moved === undefined) throw new Error("no two candidate videos share a proxy");
    const tired = proxies[busy];
    const fresh = proxies[other];

    const ticket = await prepareDownload(stack, { url: kept, format: { itag: 18 } });
    expect(addressesOf(stack.youtube, kept).metadata).toEqual(new Set([tired.address]));

    stack.youtube.strict.modes.botCheck = [tired.address];
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await stack.client.query(VIDEO, { url: moved }).toPromise();
      expect(errorCodes(refused.error)).toEqual(["YOUTUBE_CHALLENGE"]);
    }
    expect(await metric(stack, `downtube_youtube_challenges_total{egress="${busy}",kind="bot_check"}`)).toBe(
      3,
    );
    expect((await (await fetch(new URL("/readyz", stack.gateway.url))).json()).egress).toEqual({
      [busy]: "resting",
      [other]: "ok",
    });

    const taken = await stack.client.query(VIDEO, { url: moved }).toPromise();
    expect(taken.data?.video?.id).toBe(moved);
    expect(addressesOf(stack.youtube, moved).metadata).toContain(fresh.address);

    // The video extracted through the tired proxy is downloaded through it, resting or not: its
    // URLs are bound to its address.
    await downloadsExactly(stack, kept, 18, ticket.url);
    expect(addressesOf(stack.youtube, kept).media).toEqual(new Set([tired.address]));
  });

  test("in offload mode, a download whose egress is a proxy is served by the gateway, not handed to nginx", async () => {
    const { setting } = await twoProxies();
    const stack = await startStack(
      { DOWNTUBE_EGRESS_PROXIES: setting, DOWNTUBE_OFFLOAD: "nginx" },
      { strict: { bindAddress: true } },
    );
    running.push(stack);
    const ticket = await prepareDownload(stack, { url: VIDEO_IDS.plain, format: { itag: 18 } });
    const response = await fetch(ticket.url);
    expect(response.headers.get("x-accel-redirect")).toBeNull();
    await response.body?.cancel();
    await downloadsExactly(stack, VIDEO_IDS.plain, 18);

    // The same download without a proxy is nginx's to carry.
    const direct = await startStack({ DOWNTUBE_OFFLOAD: "nginx" });
    running.push(direct);
    const offloaded = await fetch(
      (await prepareDownload(direct, { url: VIDEO_IDS.plain, format: { itag: 18 } })).url,
    );
    expect(offloaded.headers.get("x-accel-redirect")).not.toBeNull();
  });

  test("a proxy's credentials reach the proxy and nothing else: not logs, metrics, /readyz nor the simulated YouTube", async () => {
    const proxy = await startForwardProxy("127.0.0.4");
    running.push(proxy);
    const withCredentials = proxy.url.replace("http://", "http://keeper:s3cret-pass@");
    const stack = await startStack({ DOWNTUBE_EGRESS_PROXIES: withCredentials });
    running.push(stack);
    await downloadsExactly(stack, VIDEO_IDS.plain, 18);
    expect(proxy.authorizations.length).toBeGreaterThan(0);
    for (const header of proxy.authorizations) {
      expect(header).toBe(`Basic ${Buffer.from("keeper:s3cret-pass").toString("base64")}`);
    }
    const readyz = await (await fetch(new URL("/readyz", stack.gateway.url))).text();
    const metrics = await (await fetch(new URL("/metrics", stack.gateway.url))).text();
    for (const text of [stack.logs.join("\n"), readyz, metrics, JSON.stringify(stack.youtube.hits.all)]) {
      expect(text).not.toContain("s3cret-pass");
    }
    expect(JSON.parse(readyz).egress).toEqual({ [new URL(proxy.url).host]: "ok" });
  });
});

describe("lists and egress proxies", () => {
  test("a playlist's pages leave through a proxy, never from the gateway's own address", async () => {
    const { a, b, setting } = await twoProxies();
    const stack = await startStack({ DOWNTUBE_EGRESS_PROXIES: setting });
    running.push(stack);
    const result = await stack.client
      .query(
        gql`
          query List($url: String!) {
            playlist(url: $url) { title videos(first: 3) { edges { node { id } } } }
          }
        `,
        { url: PLAYLIST_IDS.mixed },
      )
      .toPromise();
    expect(result.error).toBeUndefined();
    const browses = stack.youtube.hits.all.filter((hit) => hit.path === "/youtubei/v1/browse");
    expect(browses.length).toBeGreaterThan(0);
    for (const hit of browses) expect([a.address, b.address]).toContain(hit.address ?? "");
  });
});
