/**
 * Runs the real curl with `args` (quiet, errors on stderr): its exit code (18: the transfer
 * closed with bytes outstanding), the HTTP status and how many body bytes it received.
 */
export async function curlRun(
  args: readonly string[],
): Promise<{ code: number; status: number; received: number }> {
  const child = Bun.spawn(["curl", "-sS", "-w", "%{http_code} %{size_download}", ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, written] = await Promise.all([child.exited, new Response(child.stdout).text()]);
  const [status = Number.NaN, received = Number.NaN] = written.split(" ").map(Number);
  return { code, status, received };
}
