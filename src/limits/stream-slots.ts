import { TooManyStreamsError } from "../core/errors.ts";

/**
 * Caps the downloads streaming at once, in total and per client, in this instance: a stream
 * holds memory and an origin connection for as long as the client takes.
 */
export function createStreamSlots({ total, perClient }: { total: number; perClient: number }) {
  let active = 0;
  const byClient = new Map<string, number>();
  return {
    /** Takes a slot for `client`; the returned function gives it back (once). */
    acquire(client: string): () => void {
      const mine = byClient.get(client) ?? 0;
      if (active >= total)
        throw new TooManyStreamsError("the gateway is streaming all it can; try again shortly");
      if (mine >= perClient) {
        throw new TooManyStreamsError(`at most ${perClient} downloads at once per client; try again shortly`);
      }
      active += 1;
      byClient.set(client, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active -= 1;
        const left = (byClient.get(client) ?? 1) - 1;
        if (left === 0) byClient.delete(client);
        else byClient.set(client, left);
      };
    },
  };
}

export type StreamSlots = ReturnType<typeof createStreamSlots>;
