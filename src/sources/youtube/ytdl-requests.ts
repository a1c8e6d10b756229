import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import type { ExtractionFetch } from "./youtube-extractor.ts";

interface YtdlUtils {
  request: (url: string, options?: Record<string, unknown>) => Promise<unknown>;
}

const current = new AsyncLocalStorage<ExtractionFetch>();
let installed = false;

/**
 * Routes ytdl-core's metadata requests through the fetch of the extraction that made them.
 *
 * ytdl-core's `fetch` and `rewriteRequest` options reach the watch page, the player JS and the
 * manifests but not the youtubei player POSTs, which build a fresh options object. All of them
 * call `utils.request` through the module object, so wrapping that one function is the single
 * place where every request can be seen. The fetch to use is looked up in an AsyncLocalStorage
 * set by `withExtractionFetch`, so concurrent extractions (and several adapters with different
 * origins in one process) never mix.
 */
function install(): void {
  if (installed) return;
  const utils = createRequire(import.meta.url)("@distube/ytdl-core/lib/utils") as YtdlUtils;
  const original = utils.request;
  utils.request = (url, options = {}) => {
    const fetchForExtraction = current.getStore();
    if (fetchForExtraction === undefined) return original(url, options);
    return original(url, { ...options, rewriteRequest: undefined, fetch: fetchForExtraction });
  };
  installed = true;
}

/** Runs `work` with every ytdl-core request it makes sent through `fetchForExtraction`. */
export function withExtractionFetch<T>(
  fetchForExtraction: ExtractionFetch,
  work: () => Promise<T>,
): Promise<T> {
  install();
  return current.run(fetchForExtraction, work);
}
