import { expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config/config.ts";

test("caption files are capped at 5 MiB by default, or at DOWNTUBE_MAX_CAPTION_BYTES", () => {
  expect(loadConfig({}).captions.maxBytes).toBe(5 * 1024 * 1024);
  expect(loadConfig({ DOWNTUBE_MAX_CAPTION_BYTES: "65536" }).captions.maxBytes).toBe(65536);
});

test("refuses a caption cap that is not a whole number of bytes, naming the variable", () => {
  for (const bad of ["0", "-1", "1.5", "lots"]) {
    let problems: readonly string[] = [];
    try {
      loadConfig({ DOWNTUBE_MAX_CAPTION_BYTES: bad });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual(["DOWNTUBE_MAX_CAPTION_BYTES: expected a whole number of bytes of at least 1"]);
  }
});
