/** The few GraphQL requests the benchmark makes itself (set-up and checks, never the load). */

/**
 * POSTs `query` to `<base>/graphql` and returns the answer's body, checked: HTTP 200, `data`
 * present, no `errors`.
 * @throws Error otherwise, with the start of the body.
 */
export async function graphqlBody(base: URL, query: string): Promise<string> {
  const response = await fetch(new URL("/graphql", base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
  if (response.status !== 200 || body.errors !== undefined || body.data == null) {
    throw new Error(`GraphQL answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return text;
}

/** The checked `data` of {@link graphqlBody}. */
export async function graphql<T>(base: URL, query: string): Promise<T> {
  return (JSON.parse(await graphqlBody(base, query)) as { data: T }).data;
}
