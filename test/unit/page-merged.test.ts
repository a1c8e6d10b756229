import { expect, test } from "bun:test";
import { buildSchema, printSchema } from "graphql";
import { offersMergedDownloads } from "../../src/page/page-handler.ts";
import { createSchema } from "../../src/schema/index.ts";

test("the page offers merged choices only when the served schema has FormatKind.MERGED", () => {
  const withMerged = buildSchema(`
    enum FormatKind { MUXED VIDEO_ONLY AUDIO_ONLY MERGED }
    type Query { kinds: [FormatKind!]! }
  `);
  const without = buildSchema("type Query { ok: Boolean }");
  expect(offersMergedDownloads(withMerged)).toBe(true);
  expect(offersMergedDownloads(without)).toBe(false);
  // Whatever this branch's schema says, the page agrees with it.
  const served = createSchema({ maxBatch: 5 });
  const listed = /enum FormatKind \{[^}]*\bMERGED\b/.test(printSchema(served));
  expect(offersMergedDownloads(served)).toBe(listed);
});
