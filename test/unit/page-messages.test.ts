import { expect, test } from "bun:test";
import { ERROR_CODES } from "../../src/core/errors.ts";
import { ApiError, GatewayUnreachableError } from "../../src/page/assets/graphql.ts";
import { messageFor } from "../../src/page/assets/messages.ts";

// Every code the gateway can answer, so a new one is not forgotten here.
test.each([...ERROR_CODES])("%s reads as a sentence, without the code", (code) => {
  const text = messageFor(new ApiError(code, "raw message from the gateway", 7));
  expect(text).not.toContain(code);
  expect(text).not.toContain("raw message");
  expect(text).toMatch(/^[A-Z].{20,}[.]$/);
});

test("rate limits and a busy gateway say how long to wait, from Retry-After", () => {
  expect(messageFor(new ApiError("RATE_LIMITED", "", 42))).toContain("Try again in 42 s.");
  expect(messageFor(new ApiError("TOO_MANY_STREAMS", "", 5))).toContain("Try again in 5 s.");
});

test("an unreachable gateway and an unknown failure each have their own sentence", () => {
  const down = messageFor(new GatewayUnreachableError("fetch failed"));
  const unknown = messageFor(new ApiError("SOMETHING_NEW", "", undefined));
  expect(down).toContain("cannot be reached");
  expect(unknown).toContain("went wrong");
  expect(messageFor(new TypeError("x is undefined"))).not.toContain("undefined");
});
