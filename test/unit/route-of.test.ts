import { describe, expect, test } from "bun:test";
import { routeOf } from "../../src/app.ts";

// Route labels go into metrics and access logs: a bounded set, never a token or a client's path.
describe("routeOf", () => {
  test("names a download by its template, whatever the token (an empty one is refused there)", () => {
    for (const path of ["/download/", "/download/abc", "/download/eyJhbGciOi.x.y", "/download/%E2%80%AE"])
      expect(routeOf(path)).toBe("/download/:token");
  });

  test("names nginx's refresh of an offloaded download by its template, never its token", () => {
    expect(routeOf("/_downtube/refresh/download/eyJhbGciOi.x.y")).toBe("/_downtube/refresh/download/:token");
    for (const path of ["/_downtube/refresh/download/", "/_downtube/refresh/download/a/b", "/_downtube/x"])
      expect(routeOf(path)).toBe("other");
  });

  test("names the fixed routes by their path", () => {
    for (const path of ["/graphql", "/api/downtube", "/healthz", "/readyz", "/metrics"])
      expect(routeOf(path)).toBe(path);
    expect(routeOf("/graphiql/v1/graphiql.js")).toBe("/graphiql/:asset");
  });

  test("folds every other path into one label", () => {
    for (const path of ["/", "/download", "/download/a/b", "/graphql/x", "/graphiql", "/a".repeat(50)])
      expect(routeOf(path)).toBe("other");
  });
});
