import { expect, test } from "bun:test";
import { ERROR_CODES } from "../../src/core/errors.ts";

test("the README's error table documents exactly the codes a client can get", async () => {
  const readme = await Bun.file(new URL("../../README.md", import.meta.url)).text();
  const section = readme.split(/^## Errors$/m)[1]?.split(/^## /m)[0] ?? "";
  const documented = section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...(line.split("|")[1] ?? "").matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
  expect(documented.toSorted()).toEqual([...ERROR_CODES].toSorted());
});
