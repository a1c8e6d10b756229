/**
 * Loaded before anything else (bunfig.toml `preload`), because ytdl-core acts while it loads.
 *
 * - Under Bun, `require("undici")` is Bun's built-in shim whose `Dispatcher` has no `compose`, and
 *   ytdl-core's cookie agent calls it at load time (oven-sh/bun#20022). A pass-through `compose`
 *   is enough: the shim ignores dispatchers anyway. A static import placed before ytdl-core's runs
 *   too late, hence the preload.
 * - ytdl-core asks GitHub for a newer version on every `getInfo` unless `YTDL_NO_UPDATE` is set,
 *   and writes debug dumps of pages it cannot parse into the working directory unless
 *   `YTDL_NO_DEBUG_FILE` is set. A gateway wants neither.
 */
import { Dispatcher } from "undici";

const proto = Dispatcher.prototype as unknown as { compose?: (this: unknown) => unknown };
if (typeof proto.compose !== "function") {
  proto.compose = function compose(this: unknown) {
    return this;
  };
}

process.env.YTDL_NO_UPDATE ??= "1";
process.env.YTDL_NO_DEBUG_FILE ??= "1";
