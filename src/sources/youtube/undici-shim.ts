/**
 * Loaded before anything else (bunfig.toml `preload`), because ytdl-core acts while it loads.
 *
 * - Under Bun, `require("undici")` is Bun's built-in shim whose `Dispatcher` has no `compose`, and
 *   ytdl-core's cookie agent calls it at load time (oven-sh/bun#20022). A pass-through `compose`
 *   is enough: the shim ignores dispatchers anyway. A static import placed before ytdl-core's runs
 *   too late, hence the preload.
 * - ytdl-core asks GitHub for a newer version on every `getInfo` unless `YTDL_NO_UPDATE` is set.
 * - It dumps a page it cannot parse into the working directory, or with `YTDL_NO_DEBUG_FILE`
 *   prints the whole page (megabytes of player script) into its warning. The system's temporary
 *   directory is the least bad place for those dumps.
 */
import { tmpdir } from "node:os";
import { Dispatcher } from "undici";

const proto = Dispatcher.prototype as unknown as { compose?: (this: unknown) => unknown };
if (typeof proto.compose !== "function") {
  proto.compose = function compose(this: unknown) {
    return this;
  };
}

process.env.YTDL_NO_UPDATE ??= "1";
process.env.YTDL_DEBUG_PATH ??= tmpdir();
