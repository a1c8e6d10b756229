import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { ForbiddenAddressError } from "../../src/core/errors.ts";
import { createExpiringMap } from "../../src/core/expiring-map.ts";
import { parseHostRule } from "../../src/core/host-rule.ts";
import { parseCidr } from "../../src/core/ip-address.ts";
import type { NameResolver } from "../../src/core/ports.ts";
import { createHttpVideoSource } from "../../src/sources/http/http-video-source.ts";
import { prepareDownload, requestDownload } from "../support/downloads.ts";
import { type MediaOrigin, startMediaOrigin } from "../support/media-origin.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

/**
 * An allowed origin on 127.0.0.1 and a forbidden one on 127.0.0.2 on the same port, so every URL
 * below would reach the forbidden one if an address check were missing or resolved twice.
 */
let allowed: MediaOrigin;
let forbidden: MediaOrigin;
let stack: Stack;
let port: number;
const lookups: string[] = [];

/** Names of the test, as a hostile DNS would answer them. `flip` answers differently the second time. */
const names: Record<string, readonly string[]> = {
  "media.test": ["127.0.0.1"],
  "loop.cdn.test": ["127.0.0.2"],
  "mixed.cdn.test": ["127.0.0.1", "127.0.0.2"],
  "mapped.cdn.test": ["::ffff:127.0.0.2"],
  "nat64.cdn.test": ["64:ff9b::7f00:2"],
  "meta.cdn.test": ["169.254.169.254"],
  "private.cdn.test": ["10.0.0.7"],
  "cgnat.cdn.test": ["100.100.100.200"],
  "ula.cdn.test": ["fd00:ec2::254"],
  "loopback6.cdn.test": ["::1"],
  "unspecified.cdn.test": ["0.0.0.0"],
};

const resolve: NameResolver = async (name) => {
  lookups.push(name);
  if (name === "flip.cdn.test")
    return lookups.filter((n) => n === name).length === 1 ? ["127.0.0.1"] : ["127.0.0.2"];
  const answer = names[name];
  if (answer === undefined) throw new Error(`no such name: ${name}`);
  return answer;
};

beforeAll(async () => {
  allowed = await startMediaOrigin({ address: "127.0.0.1" });
  port = allowed.port;
  forbidden = await startMediaOrigin({ address: "127.0.0.2", port });
  stack = await startStack(
    {
      DOWNTUBE_HTTP_SOURCE_HOSTS: `127.0.0.1:${port},media.test:${port},*.cdn.test:${port}`,
      DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: "127.0.0.1/32",
    },
    {},
    Date.now,
    { resolve },
  );
}, 60_000); // the first start may generate the simulated YouTube's media with ffmpeg
afterAll(async () => {
  await stack.stop();
  await allowed.stop();
  await forbidden.stop();
});

const VIDEO = gql`
  query ($url: String!) {
    video(url: $url) { id }
  }
`;

/** Every way a URL can be tried: the query, the mutation and the seed endpoint. */
async function tryEveryWay(url: string): Promise<{ codes: unknown[]; seedStatus: number; seedCode: string }> {
  const query = await stack.client.query(VIDEO, { url }).toPromise();
  const mutation = await requestDownload(stack, { url });
  const seed = new URL("/api/downtube", stack.gateway.url);
  seed.searchParams.set("video_url", url);
  const response = await fetch(seed, { redirect: "manual" });
  const body = (await response.json()) as { error: { code: string } };
  return {
    codes: [...errorCodes(query.error), ...errorCodes(mutation.error)],
    seedStatus: response.status,
    seedCode: body.error.code,
  };
}

const away = (to: string) => `http://127.0.0.1:${port}/away?to=${encodeURIComponent(to)}`;

/** [url, expected code]: unlisted hosts and schemes are UNSUPPORTED_URL, addresses FORBIDDEN_ADDRESS. */
const cheatSheet = (): [string, string][] => [
  [`http://127.0.0.2:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://2130706434:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://0x7f000002:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://0x7f.0.0.2:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://0177.0.0.2:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://127.2:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://127.0.0.2.:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://[::ffff:127.0.0.2]:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://[::ffff:7f00:2]:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://[::1]:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://localhost:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://0.0.0.0:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://127.0.0.1:${port}@127.0.0.2:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://user:secret@127.0.0.1:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://127.0.0.1:${port}%40127.0.0.2:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  [`http://127.0.0.1:22/clip.mp4`, "UNSUPPORTED_URL"],
  ["http://169.254.169.254/latest/meta-data/", "UNSUPPORTED_URL"],
  ["http://metadata.google.internal/computeMetadata/v1/", "UNSUPPORTED_URL"],
  [`ftp://127.0.0.1:${port}/clip.mp4`, "UNSUPPORTED_URL"],
  ["file:///etc/passwd", "UNSUPPORTED_URL"],
  [`http://loop.cdn.test:${port}/clip.mp4`, "FORBIDDEN_ADDRESS"],
  [`http://LOOP.cdn.test.:${port}/clip.mp4`, "FORBIDDEN_ADDRESS"],
  [`http://mixed.cdn.test:${port}/clip.mp4`, "FORBIDDEN_ADDRESS"],
  [`http://mapped.cdn.test:${port}/clip.mp4`, "FORBIDDEN_ADDRESS"],
  [`http://nat64.cdn.test:${port}/clip.mp4`, "FORBIDDEN_ADDRESS"],
  [`http://meta.cdn.test:${port}/latest/meta-data/`, "FORBIDDEN_ADDRESS"],
  [`http://private.cdn.test:${port}/clip.mp4`, "FORBIDDEN_ADDRESS"],
  [`http://cgnat.cdn.test:${port}/clip.mp4`, "FORBIDDEN_ADDRESS"],
  [`http://ula.cdn.test:${port}/clip.mp4`, "FORBIDDEN_ADDRESS"],
  [`http://loopback6.cdn.test:${port}/clip.mp4`, "FORBIDDEN_ADDRESS"],
  [`http://unspecified.cdn.test:${port}/clip.mp4`, "FORBIDDEN_ADDRESS"],
  [away(`http://127.0.0.2:${port}/clip.mp4`), "UNSUPPORTED_URL"],
  [away(`http://[::ffff:127.0.0.2]:${port}/clip.mp4`), "UNSUPPORTED_URL"],
  [away("http://169.254.169.254/latest/meta-data/"), "UNSUPPORTED_URL"],
  [away(`http://user:pw@127.0.0.1:${port}/clip.mp4`), "UNSUPPORTED_URL"],
  [away("file:///etc/passwd"), "UNSUPPORTED_URL"],
  [away(`http://loop.cdn.test:${port}/clip.mp4`), "FORBIDDEN_ADDRESS"],
  [away(`http://meta.cdn.test:${port}/clip.mp4`), "FORBIDDEN_ADDRESS"],
];

describe("the direct-URL source never reaches a forbidden address", () => {
  test("a cheat sheet of URLs is refused with its own code, never UPSTREAM_ERROR, and 127.0.0.2 sees nothing", async () => {
    for (const [url, code] of cheatSheet()) {
      const { codes, seedStatus, seedCode } = await tryEveryWay(url);
      expect({ url, codes, seedCode }).toEqual({ url, codes: [code, code], seedCode: code });
      expect(seedStatus).toBe(code === "FORBIDDEN_ADDRESS" ? 403 : 400);
    }
    expect(forbidden.hits).toEqual([]);
  });

  test("an unlisted host costs no request and no lookup", async () => {
    const hitsBefore = allowed.hits.length;
    const lookupsBefore = lookups.length;
    await tryEveryWay(`http://elsewhere.test:${port}/clip.mp4`);
    await tryEveryWay(`http://127.0.0.3:${port}/clip.mp4`);
    expect(allowed.hits.length).toBe(hitsBefore);
    expect(lookups.length).toBe(lookupsBefore);
  });

  test("a name that rebinds to a forbidden address after the check is refused at the download", async () => {
    const url = `http://flip.cdn.test:${port}/clip.mp4`;
    const ticket = await prepareDownload(stack, { url });
    const response = await fetch(ticket.url);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN_ADDRESS");
    expect(forbidden.hits).toEqual([]);
  });

  test("a refusal tells the client which setting would allow it, and the log says which address", async () => {
    const url = `http://private.cdn.test:${port}/clip.mp4`;
    const answer = await fetch(
      new URL(`/api/downtube?video_url=${encodeURIComponent(url)}`, stack.gateway.url),
    );
    expect(answer.status).toBe(403);
    const { error } = (await answer.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("FORBIDDEN_ADDRESS");
    expect(error.message).toContain("DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES");
    expect(error.message).not.toContain("10.0.0.7");
    const logged = stack.logs.filter(
      (line) => line.includes("FORBIDDEN_ADDRESS") && line.includes("10.0.0.7"),
    );
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.parse(logged.at(-1) ?? "{}")).toMatchObject({ level: "warn" });
    expect(logged.at(-1)).toContain("DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES");
  });

  test("an allowed name connects to its checked address and says its name only in Host", async () => {
    const ticket = await prepareDownload(stack, { url: `http://media.test:${port}/clip.mp4` });
    const response = await fetch(ticket.url, { headers: { Range: "bytes=0-9" } });
    expect(response.status).toBe(206);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(allowed.clip.subarray(0, 10));
    expect(allowed.hits.at(-1)?.host).toBe(`media.test:${port}`);
    expect(forbidden.hits).toEqual([]);
  });
});

describe("a gateway without DOWNTUBE_HTTP_SOURCE_HOSTS", () => {
  test("refuses every http URL and reaches nothing", async () => {
    const off = await startStack({}, {}, Date.now, { resolve });
    try {
      const hitsBefore = allowed.hits.length;
      const lookupsBefore = lookups.length;
      for (const url of [`http://127.0.0.1:${port}/clip.mp4`, `http://media.test:${port}/clip.mp4`]) {
        const query = await off.client.query(VIDEO, { url }).toPromise();
        expect(errorCodes(query.error)).toEqual(["UNSUPPORTED_URL"]);
        const mutation = await requestDownload(off, { url });
        expect(errorCodes(mutation.error)).toEqual(["UNSUPPORTED_URL"]);
      }
      expect(allowed.hits.length).toBe(hitsBefore);
      expect(lookups.length).toBe(lookupsBefore);
      expect(forbidden.hits).toEqual([]);
    } finally {
      await off.stop();
    }
  });
});

describe("locate, for a proxy that fetches the bytes itself (nginx offload)", () => {
  const sourceFor = () =>
    createHttpVideoSource({
      hosts: [`media.test:${port}`, `*.cdn.test:${port}`].map((entry) => parseHostRule(entry) ?? fail(entry)),
      allowedAddresses: [parseCidr("127.0.0.1/32") ?? fail("cidr")],
      maxRedirects: 3,
      maxBytes: 10_000_000,
      timeoutMs: 5_000,
      chunkBytes: 65_536,
      fetch: (input, init) => fetch(input, init),
      resolve,
      locations: createExpiringMap({ clock: Date.now, ttlMs: 60_000, maxEntries: 10 }),
    });

  test("follows the redirects and names the checked address and the Host", async () => {
    const source = sourceFor();
    const info = await source.getInfo({ source: "http", id: `http://media.test:${port}/hop/2` });
    const format = info.formats[0] ?? fail("no format");
    expect(await source.locate(info.ref, format, AbortSignal.timeout(5_000))).toEqual({
      scheme: "http",
      address: `127.0.0.1:${port}`,
      host: `media.test:${port}`,
      path: "/clip.mp4",
    });
  });

  test("refuses a format whose redirect now leads to a forbidden address", async () => {
    const source = sourceFor();
    const info = await source.getInfo({ source: "http", id: `http://media.test:${port}/clip.mp4` });
    const format = {
      ...(info.formats[0] ?? fail("no format")),
      url: `http://media.test:${port}/away?to=${encodeURIComponent(`http://loop.cdn.test:${port}/`)}`,
    };
    await expect(source.locate(info.ref, format, AbortSignal.timeout(5_000))).rejects.toBeInstanceOf(
      ForbiddenAddressError,
    );
    expect(forbidden.hits).toEqual([]);
  });
});

function fail(what: string): never {
  throw new Error(`test setup: ${what}`);
}
