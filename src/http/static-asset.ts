/** One file the gateway serves as it is (GraphiQL's bundle, the page's script and styles). */
export interface StaticAsset {
  readonly body: string | Uint8Array<ArrayBuffer>;
  /** The `Content-Type`, charset included for text. */
  readonly type: string;
  /** The body gzip-compressed, made on first use. */
  gzipped(): Uint8Array<ArrayBuffer>;
}

/** Wraps a file's bytes; compressing waits until a client first asks for gzip. */
export function staticAsset(body: string | Uint8Array<ArrayBuffer>, type: string): StaticAsset {
  let compressed: Uint8Array<ArrayBuffer> | undefined;
  return {
    body,
    type,
    gzipped: () => {
      compressed ??= Bun.gzipSync(body, { level: 9 });
      return compressed;
    },
  };
}

/** A hash over the bodies of `assets`, for versioned URLs: a new release changes it. */
export function assetsVersion(assets: Iterable<StaticAsset>): string {
  return [...assets].reduce((hash, a) => Bun.hash(a.body, hash), 0n).toString(36);
}

/**
 * The answer for an asset under a versioned URL: cached by browsers for good, gzip-compressed
 * when the request accepts it. `headers` adds to (or overrides) the defaults.
 */
export function assetResponse(
  asset: StaticAsset,
  acceptEncoding: string | null,
  headers: Readonly<Record<string, string>> = {},
): Response {
  const common: Record<string, string> = {
    "Content-Type": asset.type,
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    Vary: "Accept-Encoding",
    ...headers,
  };
  if (/\bgzip\b/.test(acceptEncoding ?? "")) {
    return new Response(asset.gzipped(), { headers: { ...common, "Content-Encoding": "gzip" } });
  }
  return new Response(asset.body, { headers: common });
}
