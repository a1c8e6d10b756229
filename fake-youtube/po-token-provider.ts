/**
 * A PO-token provider double speaking bgutil's HTTP protocol (the provider yt-dlp's plugin uses):
 * `POST /get_pot` with JSON `{ content_binding, proxy? }` answered `{ poToken, contentBinding,
 * expiresAt }`, and `GET /ping`. Its tokens are the simulated YouTube's genuine ones; switched by
 * `mode`, it can also be slow (answers only when its client gives up), failing (500) or wrong (a
 * token YouTube does not accept).
 */

/** How the double answers `POST /get_pot`. */
export type ProviderMode = "ok" | "slow" | "failing" | "wrong";

/** One `POST /get_pot` as received. */
export interface PotRequest {
  readonly contentBinding: unknown;
  readonly proxy: unknown;
}

export interface FakePoTokenProvider {
  /** `http://127.0.0.1:PORT`: what `DOWNTUBE_YOUTUBE_PO_TOKEN_PROVIDER` names. */
  readonly url: string;
  mode: ProviderMode;
  /** Every `POST /get_pot`, oldest first. */
  readonly requests: PotRequest[];
  /** Resolves when the next `POST /get_pot` arrives. */
  nextRequest(): Promise<PotRequest>;
  stop(): Promise<void>;
}

export interface FakePoTokenProviderOptions {
  /** Makes a genuine token for a binding (`FakeYouTube.strict.mintPoToken`). */
  readonly mint: (binding: string) => string;
  readonly mode?: ProviderMode;
  /** How long tokens live, in seconds. @default 21600 */
  readonly lifetimeSeconds?: number;
}

/** Starts the provider double on 127.0.0.1, any free port. */
export function startFakePoTokenProvider(options: FakePoTokenProviderOptions): FakePoTokenProvider {
  const requests: PotRequest[] = [];
  let waiters: ((request: PotRequest) => void)[] = [];
  const provider = {
    mode: options.mode ?? ("ok" as ProviderMode),
  };

  const getPot = async (req: Request): Promise<Response> => {
    const body = (await req.json().catch(() => ({}))) as { content_binding?: unknown; proxy?: unknown };
    const request = { contentBinding: body.content_binding, proxy: body.proxy };
    requests.push(request);
    for (const wake of waiters) wake(request);
    waiters = [];
    if (provider.mode === "failing") return Response.json({ error: "botguard failed" }, { status: 500 });
    if (provider.mode === "slow") {
      // Answers only once the client has given up.
      await new Promise<void>((resolve) =>
        req.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      return new Response(null, { status: 499 });
    }
    if (typeof body.content_binding !== "string") {
      return Response.json({ error: "content_binding is required" }, { status: 400 });
    }
    const binding = body.content_binding;
    const lifetime = options.lifetimeSeconds ?? 6 * 3600;
    return Response.json({
      poToken: provider.mode === "wrong" ? "bm90LWEtcmVhbC10b2tlbg" : options.mint(binding),
      contentBinding: binding,
      expiresAt: new Date(Date.now() + lifetime * 1000).toISOString(),
    });
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (req.method === "POST" && path === "/get_pot") return getPot(req);
      if (req.method === "GET" && path === "/ping")
        return Response.json({ server_uptime: 1, version: "fake" });
      return new Response("not found", { status: 404 });
    },
  });

  return Object.assign(provider, {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    nextRequest: () => new Promise<PotRequest>((resolve) => waiters.push(resolve)),
    stop: () => server.stop(true),
  });
}
