import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getIntrospectionQuery } from "graphql";
import { VIDEO_IDS } from "../../fake-youtube/catalog.ts";
import { rawRequest } from "../support/raw-http.ts";
import { type Stack, startStack } from "../support/stack.ts";

let dev: Stack;
let production: Stack;
beforeAll(async () => {
  [dev, production] = await Promise.all([
    startStack({ DOWNTUBE_MAX_BATCH: "3", DOWNTUBE_MAX_BODY_BYTES: "4096", DOWNTUBE_GRAPHQL_MAX_DEPTH: "3" }),
    startStack({
      NODE_ENV: "production",
      DOWNTUBE_TOKEN_SECRETS: "limits-test-secret-of-32-characters-or-more",
    }),
  ]);
});
afterAll(() => Promise.all([dev.stop(), production.stop()]));

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

async function post(stack: Stack, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(stack.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLAnswer };
}

describe("query limits", () => {
  test("refuses a query nested deeper than the limit before running it", async () => {
    const fine = await post(dev, `{ video(url: "${VIDEO_IDS.plain}") { author { name } } }`);
    expect(fine.body.errors).toBeUndefined();
    dev.youtube.hits.reset();
    const { status, body } = await post(
      dev,
      `mutation { prepareDownload(input: { url: "${VIDEO_IDS.cipher}" }) { video { author { name } } } }`,
    );
    expect(status).toBeLessThan(500);
    expect(body.errors?.[0]?.message).toMatch(/depth/i);
    expect(dev.youtube.hits.extractions()).toBe(0);
  });

  test("refuses more aliases than the limit, asking the origin nothing", async () => {
    dev.youtube.hits.reset();
    const aliases = Array.from(
      { length: 11 },
      (_, i) => `a${i}: video(url: "${VIDEO_IDS.plain}") { id }`,
    ).join(" ");
    const { status, body } = await post(dev, `{ ${aliases} }`);
    expect(status).toBeLessThan(500);
    expect(body.errors?.[0]?.message).toMatch(/alias/i);
    expect(dev.youtube.hits.extractions()).toBe(0);
  });

  test("counts every video of an operation against DOWNTUBE_MAX_BATCH, aliases included", async () => {
    const fields = Array.from({ length: 4 }, (_, i) => `v${i}: video(url: "${VIDEO_IDS.plain}") { id }`).join(
      " ",
    );
    const { body } = await post(dev, `{ ${fields} }`);
    const answered = Object.values(body.data ?? {}).filter((v) => v !== null);
    expect(answered).toHaveLength(3);
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);

    const lists = await post(
      dev,
      `{ a: videos(urls: ["${VIDEO_IDS.plain}", "${VIDEO_IDS.cipher}"]) { id } b: videos(urls: ["${VIDEO_IDS.plain}", "${VIDEO_IDS.cipher}"]) { id } }`,
    );
    expect(lists.body.errors?.map((e) => e.extensions?.code)).toContain("BAD_USER_INPUT");
  });
});

describe("validation remembered per document", () => {
  test("a refused document is refused again, and an accepted one answered again, each time it is sent", async () => {
    const tooDeep = `mutation { prepareDownload(input: { url: "${VIDEO_IDS.cipher}" }) { video { author { name } } } }`;
    const fine = `{ video(url: "${VIDEO_IDS.plain}") { id author { name } } }`;
    dev.youtube.hits.reset();
    for (let round = 0; round < 3; round++) {
      const refused = await post(dev, tooDeep);
      expect(refused.body.errors?.[0]?.message).toMatch(/depth/i);
      expect(refused.body.data).toBeUndefined();
      const answered = await post(dev, fine);
      expect(answered.body.errors).toBeUndefined();
      expect(answered.body.data?.video).toEqual({ id: VIDEO_IDS.plain, author: expect.any(Object) });
    }
    expect(dev.youtube.hits.extractions()).toBeLessThanOrEqual(1);
  });

  test("in production a misspelt field gets no suggestion, the first time or the next", async () => {
    const misspelt = `{ video(url: "${VIDEO_IDS.plain}") { titel } }`;
    for (let round = 0; round < 2; round++) {
      const { status, body } = await post(production, misspelt);
      expect(status).toBeLessThan(500);
      expect(body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(body.errors?.[0]?.message).toContain("titel");
      expect(body.errors?.[0]?.message).not.toMatch(/did you mean/i);
    }
    // Development keeps suggestions: the document is the same, the instance's rules are not.
    const { body } = await post(dev, misspelt);
    expect(body.errors?.[0]?.message).toMatch(/did you mean/i);
  });
});

describe("batching", () => {
  test("refuses a batch of operations in one request with 400", async () => {
    const id = VIDEO_IDS.mediaTrickle; // asked for nowhere else in this file
    const response = await fetch(dev.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: `{ video(url: "${id}") { id } }` }, { query: "{ __typename }" }]),
    });
    expect(response.status).toBe(400);
    expect(dev.youtube.hits.extractions(id)).toBe(0);
  });
});

describe("request size", () => {
  test("answers 413 to a body over DOWNTUBE_MAX_BODY_BYTES", async () => {
    const padding = " ".repeat(5000);
    const response = await fetch(dev.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ __typename }${padding}` }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("BAD_USER_INPUT");
  });

  test("answers 413 to an oversized chunked body without a Content-Length, without reading it all", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 1024 * 1024) return controller.close();
        sent += 1024;
        controller.enqueue(new Uint8Array(1024).fill(32));
      },
    });
    const response = await fetch(dev.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  test("a small Content-Length beside Transfer-Encoding: chunked does not let a larger body through", async () => {
    const chunk = `{"query":"{ __typename }${" ".repeat(8000)}"}`;
    const { status, head } = await rawRequest(
      Number(new URL(dev.graphqlUrl).port),
      "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
        "Content-Length: 26\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
        `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    // Refused: by the HTTP parser (400) or by the body limit (413), never answered.
    expect([400, 413, null]).toContain(status);
    expect(head).not.toContain(" 200 ");
  });
});

describe("limits hold for introspection and __typename too", () => {
  const ofTypes = (levels: number): string => (levels === 0 ? "name" : `ofType { ${ofTypes(levels - 1)} }`);
  const deepIntrospection = `__schema { types { fields { type { ${ofTypes(25)} } } } }`;

  test("refuses a deep introspection query with 200 aliases, answering nothing", async () => {
    // Default limits, introspection on (not production): only the limits stand in the way.
    const defaults = await startStack();
    try {
      const deep = `__schema { types { fields { type { ${ofTypes(12)} } } } }`;
      const aliases = Array.from({ length: 200 }, (_, i) => `s${i}: ${deep}`).join(" ");
      const { status, body } = await post(defaults, `{ ${aliases} }`);
      expect(status).toBeLessThan(500);
      expect(body.data ?? undefined).toBeUndefined();
      expect(body.errors?.[0]?.message).toMatch(/alias|depth|token/i);
    } finally {
      await defaults.stop();
    }
  });

  test("counts aliases of introspection fields and of __typename against the alias limit", async () => {
    const schemaAliases = Array.from({ length: 11 }, (_, i) => `s${i}: __schema { queryType { name } }`);
    const typenameAliases = Array.from({ length: 11 }, (_, i) => `t${i}: __typename`);
    for (const selections of [schemaAliases, typenameAliases]) {
      const { body } = await post(production, `{ ${selections.join(" ")} }`);
      expect(body.data ?? undefined).toBeUndefined();
      expect(body.errors?.[0]?.message).toMatch(/alias/i);
    }
  });

  test("refuses introspection nested deeper than the standard introspection query", async () => {
    const { body } = await post(dev, `{ ${deepIntrospection} }`);
    expect(body.data ?? undefined).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/depth/i);
  });

  test("still answers the standard introspection query GraphiQL sends", async () => {
    const { body } = await post(dev, getIntrospectionQuery());
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema).toMatchObject({ queryType: { name: "Query" } });
  });
});

describe("introspection and CSRF", () => {
  const INTROSPECT = "{ __schema { queryType { name } } }";

  test("introspection is on in development and off in production", async () => {
    expect((await post(dev, INTROSPECT)).body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
    const refused = await post(production, INTROSPECT);
    expect(refused.body.data ?? null).toBeNull();
    expect(refused.body.errors?.length).toBeGreaterThan(0);
  });

  test("a GET a browser could send cross-site needs the CSRF header", async () => {
    const url = `${dev.graphqlUrl}?query=${encodeURIComponent("{ __typename }")}`;
    const bare = await fetch(url, { headers: { accept: "application/json" } });
    expect(bare.status).toBe(403);
    const named = await fetch(url, { headers: { accept: "application/json", "x-graphql-yoga-csrf": "1" } });
    expect(named.status).toBe(200);
  });

  test("a JSON POST needs no extra header", async () => {
    expect((await post(dev, "{ __typename }")).status).toBe(200);
  });
});
