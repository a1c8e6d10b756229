/**
 * A gateway process's JSON log lines (its stdout), awaited one message at a time: how tests and
 * benchmarks learn that a process they started is listening, draining or done.
 */
export function logLines(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  return {
    /** The next line whose message is `message`, parsed; rejects if the process ends first. */
    async until(message: string): Promise<Record<string, unknown>> {
      for (;;) {
        const lines = buffered.split("\n");
        const index = lines.findIndex((l) => l.includes(`"message":"${message}"`));
        if (index >= 0) {
          buffered = lines.slice(index + 1).join("\n");
          return JSON.parse(lines[index] ?? "{}");
        }
        const read = await reader.read();
        if (read.done) throw new Error(`the process ended without logging "${message}":\n${buffered}`);
        buffered += decoder.decode(read.value, { stream: true });
      }
    },
    /** Lets go of the stream (the process may keep writing; nobody reads it any more). */
    release: () => reader.releaseLock(),
  };
}
