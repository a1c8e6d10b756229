import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { UpstreamError } from "../../src/core/errors.ts";
import { createYouTubeFetch } from "../../src/sources/youtube/youtube-fetch.ts";

/** An origin standing in for YouTube that redirects in every way the tests need. */
let server: ReturnType<typeof Bun.serve>;
const asked: string[] = [];
beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      asked.push(url.pathname);
      const to = (location: string, status = 302) => new Response(null, { status, headers: { location } });
      switch (url.pathname) {
        case "/to-youtube":
          return to("https://www.youtube.com/landed?x=1");
        case "/to-elsewhere":
          return to("https://attacker.example/steal");
        case "/to-plain-http":
          return to("http://www.youtube.com/landed");
        case "/loop":
          return to("/loop");
        case "/post-307":
          return to("/echo", 307);
        case "/post-303":
          return to("/echo", 303);
        case "/echo":
          return Response.json({
            method: req.method,
            body: await req.text(),
            path: url.pathname + url.search,
          });
        case "/landed":
          return Response.json({ path: url.pathname + url.search });
      }
      return new Response("not found", { status: 404 });
    },
  });
});
afterAll(() => server.stop(true));

const fetchVia = () =>
  createYouTubeFetch({
    fetch: (input, init) => fetch(input, init),
    origin: new URL(`http://127.0.0.1:${server.port}`),
  });

describe("the extractors' fetch", () => {
  test("routes YouTube URLs to the configured origin and follows a redirect to a YouTube host there", async () => {
    const response = await fetchVia()("https://www.youtube.com/to-youtube", {});
    expect(await response.json()).toEqual({ path: "/landed?x=1" });
  });

  test("refuses a redirect to a host that is not YouTube's, without asking it", async () => {
    asked.length = 0;
    const attempt = fetchVia()("https://www.youtube.com/to-elsewhere", {});
    await expect(attempt).rejects.toBeInstanceOf(UpstreamError);
    await expect(attempt).rejects.toThrow(/attacker\.example/);
    expect(asked).toEqual(["/to-elsewhere"]);
  });

  test("refuses a redirect to plain http", async () => {
    await expect(fetchVia()("https://www.youtube.com/to-plain-http", {})).rejects.toBeInstanceOf(
      UpstreamError,
    );
  });

  test("refuses a first URL outside YouTube before any request", async () => {
    asked.length = 0;
    for (const url of [
      "https://youtube.com.attacker.example/watch",
      "http://www.youtube.com/watch",
      "file:///etc/passwd",
      "not a url",
    ]) {
      await expect(fetchVia()(url, {})).rejects.toBeInstanceOf(UpstreamError);
    }
    expect(asked).toEqual([]);
  });

  test("gives up after five redirects", async () => {
    asked.length = 0;
    await expect(fetchVia()("https://www.youtube.com/loop", {})).rejects.toThrow(
      /redirected more than 5 times/,
    );
    expect(asked.length).toBe(6);
  });

  test("repeats a POST on 307 and turns it into a GET on 303", async () => {
    const post = { method: "POST", body: '{"videoId":"x"}' };
    const kept = await fetchVia()("https://www.youtube.com/post-307", post);
    expect(await kept.json()).toEqual({ method: "POST", body: '{"videoId":"x"}', path: "/echo" });
    const changed = await fetchVia()("https://www.youtube.com/post-303", post);
    expect(await changed.json()).toEqual({ method: "GET", body: "", path: "/echo" });
  });
});
