/**
 * The page's only way to the gateway: the public GraphQL API at `/graphql`, same origin, as JSON
 * POSTs (what any other client could send).
 */

/** The gateway answered with a GraphQL error; `code` is its `extensions.code`. */
export class ApiError extends Error {
  /**
   * @param {string} code stable error code, e.g. `VIDEO_PRIVATE`
   * @param {string} message the gateway's message (for the console, not for people)
   * @param {number | undefined} retryAfterSeconds from `Retry-After`, when the answer had one
   */
  constructor(code, message, retryAfterSeconds) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** No answer from the gateway, or one that is not its GraphQL (a proxy's error page, say). */
export class GatewayUnreachableError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "GatewayUnreachableError";
  }
}

/** Seconds from a `Retry-After` header (a number of seconds or an HTTP date); undefined if absent. */
function retryAfterOf(response) {
  const value = response.headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : undefined;
}

/**
 * Runs one GraphQL operation and returns its `data`. Throws `ApiError` for the first GraphQL
 * error, `GatewayUnreachableError` when there is no usable answer.
 * @param {string} query
 * @param {Record<string, unknown>} variables
 * @param {string} apiKey sent as `Authorization: Bearer <key>` when not empty
 */
export async function graphql(query, variables, apiKey) {
  const headers = { "content-type": "application/json", accept: "application/json" };
  if (apiKey !== "") headers.authorization = `Bearer ${apiKey}`;
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new GatewayUnreachableError("the request to /graphql failed", { cause: error });
  }
  let body;
  try {
    body = await response.json();
  } catch (error) {
    throw new GatewayUnreachableError(`/graphql answered ${response.status} without JSON`, { cause: error });
  }
  // Refused before GraphQL ran (an unknown API key, a body too large): the HTTP routes' error shape.
  if (typeof body?.error?.code === "string") {
    throw new ApiError(body.error.code, String(body.error.message), retryAfterOf(response));
  }
  const [first] = Array.isArray(body?.errors) ? body.errors : [];
  if (first !== undefined) {
    const code = typeof first.extensions?.code === "string" ? first.extensions.code : "UNKNOWN";
    throw new ApiError(code, String(first.message), retryAfterOf(response));
  }
  if (body?.data == null)
    throw new GatewayUnreachableError(`/graphql answered ${response.status} without data`);
  return body.data;
}
