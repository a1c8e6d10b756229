/** Helpers for tests that start processes of their own and must not leave them running. */

/** True while a process with this id exists (a zombie counts: nobody has collected it yet). */
export function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `check` on the started process ids; whichever the check leaves running is killed after it. */
export async function thenKill(pids: number[], check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } finally {
    for (const pid of pids) if (exists(pid)) process.kill(pid, "SIGKILL");
  }
}
