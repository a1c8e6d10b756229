import { describe, expect, test } from "bun:test";
import { GraphQLError } from "graphql";
import { VideoPrivateError } from "../../src/core/errors.ts";
import { createJsonLogger } from "../../src/core/logger.ts";
import { toGraphQLError } from "../../src/schema/errors.ts";

function capture() {
  const lines: string[] = [];
  return {
    lines,
    log: createJsonLogger(
      (line) => lines.push(line),
      () => 0,
    ),
  };
}

describe("toGraphQLError", () => {
  test("keeps a downtube error's message and gives it its code", () => {
    const { log, lines } = capture();
    const error = toGraphQLError(
      new GraphQLError("wrapped", { path: ["video"], originalError: new VideoPrivateError("private") }),
      log,
    );
    expect(error.message).toBe("private");
    expect(error.extensions.code).toBe("VIDEO_PRIVATE");
    expect(error.path).toEqual(["video"]);
    expect(lines).toEqual([]);
  });

  test("masks anything unexpected and logs it once with its stack", () => {
    const { log, lines } = capture();
    const error = toGraphQLError(
      new GraphQLError("wrapped", { originalError: new TypeError("secret internals") }),
      log,
    );
    expect(error.message).toBe("Unexpected error.");
    expect(error.extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(JSON.stringify(error.toJSON())).not.toContain("secret internals");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("secret internals");
    expect(lines[0]).toContain("TypeError");
  });

  test("passes GraphQL's own errors through", () => {
    const { log } = capture();
    const syntax = new GraphQLError("Syntax Error: Expected Name", {
      extensions: { code: "GRAPHQL_PARSE_FAILED" },
    });
    expect(toGraphQLError(syntax, log)).toBe(syntax);
  });

  test("gives GraphQL's uncoded request errors the BAD_USER_INPUT code", () => {
    const { log, lines } = capture();
    const coercion = new GraphQLError('Field "url" of required type "String!" was not provided.');
    const error = toGraphQLError(coercion, log);
    expect(error.message).toBe(coercion.message);
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(lines).toEqual([]);
  });
});
