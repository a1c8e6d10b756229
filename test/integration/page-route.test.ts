/**
 * `GET /` over real sockets, as programs see it: curl gets a short JSON pointer to `/graphql`, a
 * browser's `Accept` gets the HTML page with its security headers; the page's assets are
 * versioned, gzip-able and immutable; other methods and stale asset URLs are refused. The page in
 * a browser is tested in test/browser/page-*.test.ts.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Stack, startStack } from "../support/stack.ts";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

let stack: Stack;
let base: string;
// Starting the simulated YouTube probes its media with ffprobe: slow on a busy machine.
beforeAll(async () => {
  stack = await startStack();
  base = stack.gateway.url.origin;
}, 30_000);
afterAll(() => stack.stop());

/** Runs curl (a real client) and returns its status line, headers and body. */
async function curl(...args: string[]): Promise<{ status: number; headers: Headers; body: string }> {
  const child = Bun.spawn(["curl", "-s", "-D", "-", ...args], { stdout: "pipe", stderr: "inherit" });
  const out = await new Response(child.stdout).text();
  expect(await child.exited).toBe(0);
  const [head = "", ...rest] = out.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = new Headers(
    lines.map((line): [string, string] => [
      line.slice(0, line.indexOf(":")),
      line.slice(line.indexOf(":") + 1).trim(),
    ]),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

/** The versioned path of one of the page's assets, as the page links it. */
async function assetPath(name: string): Promise<string> {
  const html = await (await fetch(`${base}/`, { headers: { accept: BROWSER_ACCEPT } })).text();
  const found = new RegExp(`"(/page/[^/"]+/${name.replace(".", "\\.")})"`).exec(html)?.[1];
  if (found === undefined) throw new Error(`the page links no ${name}`);
  return found;
}

test("curl gets a JSON pointer to /graphql, not HTML", async () => {
  const answer = await curl(`${base}/`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toStartWith("application/json");
  expect(answer.headers.get("vary")).toContain("Accept");
  const body = JSON.parse(answer.body) as { graphql: string };
  expect(body.graphql).toBe(`${base}/graphql`);
});

test("a browser gets the page, with a policy that allows no inline code and no third-party script", async () => {
  const answer = await curl("-H", `Accept: ${BROWSER_ACCEPT}`, `${base}/`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toBe("text/html; charset=utf-8");
  const policy = answer.headers.get("content-security-policy") ?? "";
  for (const directive of [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
  ])
    expect(policy).toContain(directive);
  expect(policy).not.toMatch(/unsafe-|\*/);
  expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
  expect(answer.headers.get("referrer-policy")).toBe("no-referrer");
  expect(answer.body).toContain('<input id="url" name="url"');
  expect(answer.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=/i);
  expect(answer.body).not.toMatch(/(src|href)="(https?:)?\/\//);
});

test("HEAD / answers the headers of GET; other methods get 405", async () => {
  const get = await curl("-H", `Accept: ${BROWSER_ACCEPT}`, `${base}/`);
  const head = await curl("-I", "-o", "/dev/null", "-H", `Accept: ${BROWSER_ACCEPT}`, `${base}/`);
  expect(head.status).toBe(200);
  for (const name of ["content-type", "content-security-policy", "cache-control"])
    expect(head.headers.get(name)).toBe(get.headers.get(name));
  const post = await curl("-X", "POST", "--data", "x=1", `${base}/`);
  expect(post.status).toBe(405);
  expect(post.headers.get("allow")).toBe("GET, HEAD");
  expect(JSON.parse(post.body).error.code).toBe("METHOD_NOT_ALLOWED");
});

test("the page's script comes gzipped and immutable, with the same bytes as uncompressed", async () => {
  const path = await assetPath("page.js");
  const plain = await curl(`${base}${path}`);
  const gzipped = await curl("--compressed", "-H", "Accept-Encoding: gzip", `${base}${path}`);
  expect(plain.status).toBe(200);
  expect(plain.headers.get("content-type")).toStartWith("text/javascript");
  expect(gzipped.headers.get("content-encoding")).toBe("gzip");
  expect(gzipped.headers.get("cache-control")).toContain("immutable");
  expect(gzipped.body).toBe(plain.body);
});

test("modules written in TypeScript are served as JavaScript a browser can run", async () => {
  const body = (
    await curl(`${base}${await assetPath("page.js").then((p) => p.replace("page.js", "choices.js"))}`)
  ).body;
  expect(body).toContain("export function downloadChoices");
  expect(body).not.toMatch(/\binterface\b|: string\b|readonly /);
});

test("an old version, an unknown name or a deeper path is 404 JSON", async () => {
  const path = await assetPath("page.css");
  const [, , version] = path.split("/");
  for (const wrong of [
    "/page/0/page.css",
    `/page/${version}/secret.ts`,
    `/page/${version}/page.css/x`,
    "/page/",
  ]) {
    const answer = await curl(`${base}${wrong}`);
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).error.code).toBe("NOT_FOUND");
  }
});

test("behind PUBLIC_URL, the pointer names the public address", async () => {
  const proxied = await startStack({ PUBLIC_URL: "https://videos.example.org/dt/" });
  try {
    const answer = await curl(`${proxied.gateway.url.origin}/`);
    expect(JSON.parse(answer.body).graphql).toBe("https://videos.example.org/dt/graphql");
  } finally {
    await proxied.stop();
  }
});

test("metrics and access logs name the page's routes by pattern, never by a client's path", async () => {
  const labelOf = async (path: string, id: string) => {
    await (await fetch(`${base}${path}`, { headers: { "X-Request-Id": id } })).arrayBuffer();
    const line = stack.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === "request" && l.requestId === id);
    return line?.route;
  };
  expect(await labelOf("/", "page-label-1")).toBe("/");
  expect(await labelOf(await assetPath("page.js"), "page-label-2")).toBe("/page/:version/:name");
  expect(await labelOf("/page/0/whatever-a-client-typed", "page-label-3")).toBe("/page/:version/:name");
});
