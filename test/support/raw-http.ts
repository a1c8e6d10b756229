import net from "node:net";

/** What came back for a raw request: the status line's code, or null when the server closed first. */
export interface RawAnswer {
  readonly status: number | null;
  /** The response head as received (latin1), for failure messages. */
  readonly head: string;
}

/**
 * Sends `request` byte for byte (latin1) over a fresh socket and resolves with the status of the
 * answer as soon as its head has arrived, or with `status: null` when the server closes the
 * connection without answering. Rejects when nothing happens within `timeoutMs`: a hang fails
 * the test instead of stalling it. `fetch` cannot be used for this: it normalises paths, refuses
 * some methods and some header bytes.
 */
export function rawRequest(port: number, request: string, timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const answer = () => {
      const end = received.indexOf("\r\n\r\n");
      const head = end < 0 ? received : received.slice(0, end);
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      return { status: match?.[1] === undefined ? null : Number(match[1]), head: head.slice(0, 500) };
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(request.slice(0, 200))}`)),
        ),
      timeoutMs,
    );
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (received.includes("\r\n\r\n")) settle(() => resolve(answer()));
    });
    // A reset after a refused request is an answer too ("closed without a response").
    socket.on("error", () => settle(() => resolve(answer())));
    socket.on("close", () => settle(() => resolve(answer())));
    socket.write(request, "latin1");
  });
}
