import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { prepareDownload } from "../support/downloads.ts";
import { metricsText as metricsOf, sampleValue } from "../support/metrics.ts";
import { rawRequest } from "../support/raw-http.ts";
import { type Stack, startStack } from "../support/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const metricsText = () => metricsOf(stack);
const sample = (text: string, name: string, labels = "") => sampleValue(text, `${name}${labels}`);

describe("request ids and logs", () => {
  test("echoes a sane X-Request-Id, replaces a hostile one, and logs each request with it", async () => {
    const mine = await fetch(new URL("/healthz", stack.gateway.url), {
      headers: { "X-Request-Id": "abc-123" },
    });
    expect(mine.headers.get("x-request-id")).toBe("abc-123");
    const hostile = await fetch(new URL("/healthz", stack.gateway.url), {
      headers: { "X-Request-Id": "x".repeat(500) },
    });
    const replaced = hostile.headers.get("x-request-id") ?? "";
    expect(replaced).not.toContain("xxxx");
    expect(replaced.length).toBeGreaterThan(0);
    const lines = stack.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ message: "request", requestId: "abc-123", route: "/healthz", status: 200 }),
    );
  });

  test("logs a download by its route, never by its token", async () => {
    const ticket = await prepareDownload(stack, { url: VIDEO_IDS.plain });
    const response = await fetch(ticket.url);
    await response.arrayBuffer();
    const line = stack.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.requestId === response.headers.get("x-request-id"));
    expect(line).toMatchObject({ route: "/download/:token", status: 200, bytes: ticket.contentLength });
    expect(stack.logs.join("\n")).not.toContain(ticket.token);
  });
});

describe("/metrics", () => {
  test("counts requests, streams, bytes, cache, extractions and token checks in Prometheus text", async () => {
    const before = await metricsText();
    const ticket = await prepareDownload(stack, { url: VIDEO_IDS.cipher });
    await (await fetch(ticket.url)).arrayBuffer();
    await fetch(new URL("/download/not-a-token", stack.gateway.url));
    const after = await metricsText();

    const grew = (name: string, labels = "") => sample(after, name, labels) - sample(before, name, labels);
    expect(grew("downtube_bytes_streamed_total")).toBe(Number(ticket.contentLength));
    expect(grew("downtube_token_verifications_total", '{outcome="valid"}')).toBe(1);
    expect(grew("downtube_token_verifications_total", '{outcome="invalid"}')).toBe(1);
    expect(grew("downtube_http_requests_total", '{route="/download/:token",method="GET",status="200"}')).toBe(
      1,
    );
    expect(grew("downtube_http_requests_total", '{route="/download/:token",method="GET",status="401"}')).toBe(
      1,
    );
    expect(grew("downtube_download_time_to_first_byte_seconds_count")).toBe(1);
    expect(grew("downtube_metadata_cache_lookups_total", '{result="hit"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, "downtube_active_streams")).toBe(0);
    expect(after).toContain("# TYPE downtube_extraction_duration_seconds histogram");
  });

  test("counts the origin's failures by code", async () => {
    const before = sample(await metricsText(), "downtube_upstream_errors_total", '{code="UPSTREAM_ERROR"}');
    await fetch(stack.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ video(url: "${VIDEO_IDS.failingWatch}") { id } }` }),
    });
    const after = sample(await metricsText(), "downtube_upstream_errors_total", '{code="UPSTREAM_ERROR"}');
    expect(after - before).toBe(1);
  });
});

describe("odd request lines", () => {
  test.each(["//", "//%z/%", "///x"])(
    "GET %s is answered, below 500, and the gateway goes on",
    async (target) => {
      const answer = await rawRequest(
        Number(stack.gateway.url.port),
        `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.status).not.toBeNull();
      expect(answer.status ?? 500).toBeLessThan(500);
      expect((await fetch(new URL("/healthz", stack.gateway.url))).status).toBe(200);
    },
  );
});
