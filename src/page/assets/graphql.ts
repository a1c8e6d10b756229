/**
 * The page's only way to the gateway: the public GraphQL API at `/graphql`, same origin, as JSON
 * POSTs (what any other client could send). Runs in the browser; served transpiled to JavaScript.
 */

/** The gateway refused with one of its error codes (README, "Errors"). */
export class ApiError extends Error {
  /**
   * @param code stable error code, e.g. `VIDEO_PRIVATE`
   * @param message the gateway's message (for the console, not for people)
   * @param retryAfterSeconds from `Retry-After`, when the answer had one
   */
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** No answer from the gateway, or one that is not its (a proxy's error page, say). */
export class GatewayUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GatewayUnreachableError";
  }
}

/** What `/graphql` may answer: GraphQL's shape, or the HTTP routes' `{"error":{…}}` shape. */
interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
  error?: { code?: unknown; message?: unknown };
}

/** Seconds from a `Retry-After` header (seconds or an HTTP date); undefined when absent. */
function retryAfterOf(response: Response): number | undefined {
  const value = response.headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : undefined;
}

/**
 * Runs one GraphQL operation and returns its `data`. Throws `ApiError` for the first error,
 * `GatewayUnreachableError` when there is no usable answer.
 * @param apiKey sent as `Authorization: Bearer <key>` when not empty
 */
export async function graphql<T>(
  query: string,
  variables: Record<string, unknown>,
  apiKey: string,
): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (apiKey !== "") headers.authorization = `Bearer ${apiKey}`;
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new GatewayUnreachableError("the request to /graphql failed", { cause: error });
  }
  let body: Answer;
  try {
    body = (await response.json()) as Answer;
  } catch (error) {
    throw new GatewayUnreachableError(`/graphql answered ${response.status} without JSON`, { cause: error });
  }
  // Refused before GraphQL ran (an unknown API key, a body too large): the HTTP routes' error shape.
  if (typeof body?.error?.code === "string") {
    throw new ApiError(body.error.code, String(body.error.message), retryAfterOf(response));
  }
  const first = Array.isArray(body?.errors) ? body.errors[0] : undefined;
  if (first !== undefined) {
    const code = typeof first.extensions?.code === "string" ? first.extensions.code : "UNKNOWN";
    throw new ApiError(code, String(first.message), retryAfterOf(response));
  }
  if (body?.data == null)
    throw new GatewayUnreachableError(`/graphql answered ${response.status} without data`);
  return body.data as T;
}
