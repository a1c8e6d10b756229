import { expect, test } from "bun:test";
import { printSchema } from "graphql";
import { createSchema } from "../../src/schema/index.ts";

test("schema.graphql is the schema the code builds (run `npm run schema:print` after a change)", async () => {
  const committed = await Bun.file(new URL("../../schema.graphql", import.meta.url)).text();
  expect(`${printSchema(createSchema({ maxBatch: 5 }))}\n`).toBe(committed);
});
