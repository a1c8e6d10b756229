/** youtubei.js hands its fetch a URL, a string or a `Request` (plus init): one plain call each. */
export async function asPlainCall(
  input: unknown,
  init: RequestInit | undefined,
): Promise<[string, RequestInit]> {
  if (input instanceof Request) {
    const body =
      init?.body ?? (input.method === "GET" || input.method === "HEAD" ? undefined : await input.text());
    return [input.url, { method: input.method, headers: init?.headers ?? input.headers, body }];
  }
  return [String(input), { method: init?.method, headers: init?.headers, body: init?.body }];
}
