/** Writes the printed SDL to schema.graphql (`npm run schema:print`); a test keeps the two equal. */
import { printSchema } from "graphql";
import { createSchema } from "../src/schema/index.ts";

const path = new URL("../schema.graphql", import.meta.url);
await Bun.write(path, `${printSchema(createSchema({ maxBatch: 1 }))}\n`);
console.log(`wrote ${path.pathname}`);
