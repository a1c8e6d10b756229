import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gql } from "@urql/core";
import { prepareDownload, requestDownload } from "../support/downloads.ts";
import { type MediaOrigin, startMediaOrigin } from "../support/media-origin.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

const MAX_BYTES = 5_000_000;
let origin: MediaOrigin;
let stack: Stack;

beforeAll(async () => {
  origin = await startMediaOrigin({ address: "127.0.0.1", bigBytes: MAX_BYTES + 1 });
  stack = await startStack(
    {
      DOWNTUBE_HTTP_SOURCE_HOSTS: `127.0.0.1:${origin.port},media.test:${origin.port}`,
      DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: "127.0.0.1/32",
      DOWNTUBE_HTTP_SOURCE_MAX_BYTES: String(MAX_BYTES),
      // Several ranged requests per download, as for YouTube.
      DOWNTUBE_UPSTREAM_CHUNK_BYTES: "65536",
    },
    {},
    Date.now,
    { resolve: async (name) => (name === "media.test" ? ["127.0.0.1"] : []) },
  );
}, 60_000); // the first start may generate the simulated YouTube's media with ffmpeg
afterAll(async () => {
  await stack.stop();
  await origin.stop();
});

const VIDEO = gql`
  query ($url: String!) {
    video(url: $url) {
      id url title durationSeconds duration author { name id } channel { name }
      formats { itag mimeType container contentLength acceptsRanges hasVideo }
    }
  }
`;

interface DirectVideo {
  id: string;
  title: string;
  durationSeconds: number;
  duration: number | null;
  author: { name: string; id: string | null };
  channel: unknown;
  formats: { itag: number; mimeType: string; contentLength: number; acceptsRanges: boolean }[];
}

const video = (url: string) => stack.client.query<{ video: DirectVideo | null }>(VIDEO, { url }).toPromise();
const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

describe("a direct media URL", () => {
  test("is described by the origin's HEAD: title, type, size, ranges; unknowns stay null", async () => {
    const result = await video(`${origin.origin}/clip.mp4`);
    expect(result.error).toBeUndefined();
    const found = result.data?.video;
    expect(found?.title).toBe("clip");
    expect(found?.formats).toEqual([
      {
        itag: 1,
        mimeType: "video/mp4",
        container: "mp4",
        contentLength: origin.clip.length,
        acceptsRanges: true,
        hasVideo: true,
      } as never,
    ]);
    expect(found?.duration).toBeNull();
    expect(found?.channel).toBeNull();
    expect(found?.author).toEqual({ name: "127.0.0.1", id: null });
    expect(found?.durationSeconds).toBe(0);
  });

  test("takes its title from Content-Disposition, and names resolve through the platform", async () => {
    const result = await video(`http://media.test:${origin.port}/named`);
    expect(result.error).toBeUndefined();
    expect(result.data?.video?.title).toBe("Café tour");
    const seen = origin.hits.filter((hit) => hit.path === "/named");
    expect(seen.at(-1)?.host).toBe(`media.test:${origin.port}`);
  });

  for (const path of ["/no-head.mp4", "/signed.mp4"]) {
    test(`falls back to a GET of one byte when HEAD is refused (${path})`, async () => {
      const before = origin.hits.length;
      const result = await video(`${origin.origin}${path}`);
      expect(result.data?.video?.formats[0]?.contentLength).toBe(origin.clip.length);
      expect(result.data?.video?.formats[0]?.acceptsRanges).toBe(true);
      const asked = origin.hits.slice(before);
      expect(asked.map((hit) => [hit.method, hit.range])).toEqual([
        ["HEAD", undefined],
        ["GET", "bytes=0-0"],
      ]);
    });
  }
});

describe("downloading a direct media URL", () => {
  test("sends exactly the origin's bytes with an exact Content-Length, without a selector", async () => {
    const ticket = await prepareDownload(stack, { url: `${origin.origin}/clip.mp4` });
    expect(ticket.filename).toBe("clip.mp4");
    expect(ticket.contentLength).toBe(origin.clip.length);
    const response = await fetch(ticket.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(origin.clip.length));
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(await bytesOf(response)).toEqual(origin.clip);
  });

  test("passes a Range through to the origin and answers 206 with that slice", async () => {
    const { url } = await prepareDownload(stack, { url: `${origin.origin}/clip.mp4`, format: { itag: 1 } });
    const before = origin.hits.length;
    const response = await fetch(url, { headers: { Range: "bytes=1000-1999" } });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 1000-1999/${origin.clip.length}`);
    expect(await bytesOf(response)).toEqual(origin.clip.subarray(1000, 2000));
    expect(origin.hits.slice(before).map((hit) => hit.range)).toEqual(["bytes=1000-1999"]);
  });

  test("answers HEAD with the headers of the GET and resumes with If-Range", async () => {
    const { url } = await prepareDownload(stack, { url: `${origin.origin}/clip.mp4` });
    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(origin.clip.length));
    const etag = head.headers.get("etag") ?? "";
    expect(etag).not.toContain("clip-v1"); // the origin's validator is not repeated
    const resumed = await fetch(url, { headers: { Range: "bytes=250000-", "If-Range": etag } });
    expect(resumed.status).toBe(206);
    expect(await bytesOf(resumed)).toEqual(origin.clip.subarray(250_000));
    const stale = await fetch(url, { headers: { Range: "bytes=250000-", "If-Range": '"other"' } });
    expect(stale.status).toBe(200);
    expect((await bytesOf(stale)).length).toBe(origin.clip.length);
  });

  test("fails a resume instead of splicing when the origin's file changed under its URL", async () => {
    const { url } = await prepareDownload(stack, { url: `${origin.origin}/versioned.mp4` });
    const first = await fetch(url, { headers: { Range: "bytes=0-999" } });
    expect(first.status).toBe(206);
    await first.arrayBuffer();
    origin.setVersion('"v2"');
    const before = origin.hits.length;
    const resumed = await fetch(url, {
      headers: { Range: "bytes=1000-", "If-Range": first.headers.get("etag") ?? "" },
    });
    expect(resumed.status).toBe(502);
    expect(((await resumed.json()) as { error: { code: string } }).error.code).toBe("UPSTREAM_ERROR");
    expect(origin.hits.slice(before).map((hit) => hit.range)).toEqual(["bytes=1000-66535"]);
  });

  test("follows the origin's own redirects", async () => {
    const ticket = await prepareDownload(stack, { url: `${origin.origin}/hop/3` });
    const response = await fetch(ticket.url, { headers: { Range: "bytes=0-99" } });
    expect(response.status).toBe(206);
    expect(await bytesOf(response)).toEqual(origin.clip.subarray(0, 100));
  });

  test("refuses a fourth redirect", async () => {
    const result = await video(`${origin.origin}/hop/4`);
    expect(result.data?.video).toBeNull();
    expect(errorCodes(result.error)).toEqual(["UPSTREAM_ERROR"]);
  });

  test("from an origin without Range, sends the whole file and promises no 206", async () => {
    const result = await video(`${origin.origin}/whole.webm`);
    expect(result.data?.video?.formats[0]?.acceptsRanges).toBe(false);
    const { url } = await prepareDownload(stack, { url: `${origin.origin}/whole.webm` });
    const before = origin.hits.length;
    const response = await fetch(url, { headers: { Range: "bytes=10-19" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("accept-ranges")).toBe("none");
    expect(response.headers.get("content-length")).toBe(String(origin.clip.length));
    expect(await bytesOf(response)).toEqual(origin.clip);
    expect(origin.hits.slice(before).map((hit) => hit.range)).toEqual([undefined]);
  });

  test("from an origin without Range, stops the origin's transfer when the client goes away", async () => {
    const { url } = await prepareDownload(stack, { url: `${origin.origin}/trickle.webm` });
    const client = new AbortController();
    const response = await fetch(url, { signal: client.signal });
    const reader = response.body?.getReader();
    await reader?.read();
    const aborted = origin.nextAbort();
    client.abort();
    expect(await aborted).toBe("/trickle.webm");
  });

  test("from an origin without Range that dies mid-file, ends the response short of its length", async () => {
    const { url } = await prepareDownload(stack, { url: `${origin.origin}/cut.webm` });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(origin.clip.length));
    let received = 0;
    const read = async () => {
      const reader = response.body?.getReader();
      for (let read = await reader?.read(); read !== undefined && !read.done; read = await reader?.read())
        received += read.value.byteLength;
    };
    await expect(read()).rejects.toBeDefined();
    expect(received).toBeLessThan(origin.clip.length);
  });

  test("works through the seed endpoint, with curl", async () => {
    const seed = new URL("/api/downtube", stack.gateway.url);
    seed.searchParams.set("video_url", `${origin.origin}/clip.mp4`);
    const curl = Bun.spawn(
      ["curl", "-sS", "-L", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", seed.href],
      {
        stdout: "pipe",
      },
    );
    expect(await new Response(curl.stdout).text()).toBe(`200 ${origin.clip.length}`);
    expect(await curl.exited).toBe(0);
  });
});

describe("a direct URL is refused", () => {
  test("when it is a page, not media: 415, and nothing of the page is repeated", async () => {
    const result = await requestDownload(stack, { url: `${origin.origin}/page.html` });
    expect(errorCodes(result.error)).toEqual(["UNSUPPORTED_MEDIA"]);
    const text = JSON.stringify(result.error);
    expect(text).not.toContain("internal");
    const seed = new URL("/api/downtube", stack.gateway.url);
    seed.searchParams.set("video_url", `${origin.origin}/page.html`);
    const response = await fetch(seed, { redirect: "manual" });
    expect(response.status).toBe(415);
    expect(response.headers.get("x-origin-secret")).toBeNull();
    expect(await response.text()).not.toContain("dashboard");
  });

  test("when it is larger than DOWNTUBE_HTTP_SOURCE_MAX_BYTES: 413", async () => {
    const seed = new URL("/api/downtube", stack.gateway.url);
    seed.searchParams.set("video_url", `${origin.origin}/big.mp4`);
    const response = await fetch(seed, { redirect: "manual" });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("MEDIA_TOO_LARGE");
  });

  test("when the origin has no such file: 404", async () => {
    const result = await video(`${origin.origin}/missing.mp4`);
    expect(errorCodes(result.error)).toEqual(["VIDEO_NOT_FOUND"]);
  });
});
