/**
 * Loaded before ytdl-core, because ytdl-core acts while it loads: `src/server.ts` imports it
 * first and loads the rest only afterwards, and the tests preload it (bunfig.toml).
 *
 * - Under Bun, `require("undici")` is Bun's built-in shim whose `Dispatcher` has no `compose`, and
 *   ytdl-core's cookie agent calls it at load time (oven-sh/bun#20022). A pass-through `compose`
 *   is enough: the shim ignores dispatchers anyway. A static import placed before ytdl-core's runs
 *   too late: Bun loads CommonJS dependencies while it links the importing module.
 * - ytdl-core asks GitHub for a newer version on every `getInfo` unless `YTDL_NO_UPDATE` is set.
 * - It saves a page it cannot parse (megabytes of player script) as a file in the working
 *   directory, or with `YTDL_NO_DEBUG_FILE` prints it whole into its warning. Neither helps an
 *   operator, so the file is never written and the warning names it only.
 */
import { createRequire } from "node:module";
import { Dispatcher } from "undici";

const proto = Dispatcher.prototype as unknown as { compose?: (this: unknown) => unknown };
if (typeof proto.compose !== "function") {
  proto.compose = function compose(this: unknown) {
    return this;
  };
}

process.env.YTDL_NO_UPDATE ??= "1";

// Required only now, after the patch above: ytdl-core's utils load its cookie agent.
const utils = createRequire(import.meta.url)("@distube/ytdl-core/lib/utils.js") as {
  saveDebugFile: (name: string, body: string) => string;
};
utils.saveDebugFile = (name) => `${name} (not saved: downtube turns ytdl-core's debug files off)`;
