/** How long `ffmpeg -version` may take before ffmpeg counts as unusable, in milliseconds. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * The absolute path of a working ffmpeg: `command` itself when it is a path, else looked up on
 * PATH, and then run once with `-version` to see that it starts. Undefined when there is none
 * (merged downloads are then unavailable; everything else works). Never throws.
 */
export async function locateFfmpeg(command: string): Promise<string | undefined> {
  const path = Bun.which(command);
  if (path === null) return undefined;
  try {
    const probe = Bun.spawn([path, "-hide_banner", "-version"], {
      stdio: ["ignore", "ignore", "ignore"],
      env: {},
      timeout: PROBE_TIMEOUT_MS,
    });
    return (await probe.exited) === 0 ? path : undefined;
  } catch {
    return undefined; // not executable after all (a directory, no permission): the same as missing
  }
}
