import { TokenUsedError } from "../core/errors.ts";
import type { Clock, Store } from "../core/ports.ts";
import type { VerifiedClaims } from "./download-claims.ts";

/**
 * How long a byte count outlives its token. Instances whose clocks lag could still accept the
 * token a little after its `exp`; the count must not vanish (and reset to zero) before they stop.
 */
export const USE_COUNT_GRACE_MS = 60_000;

/** Bytes served are added to the shared count at least this often (and when a response ends). */
export const COUNT_STEP_BYTES = 256 * 1024;

/** The claims that decide a token's allowance. */
type Metered = Pick<VerifiedClaims, "jti" | "maxUses" | "expiresAt">;

/**
 * Enforces `maxUses` as copies, not requests: a `maxUses: N` token may serve N × the file's size
 * in bytes, however they are ranged (resumes, segmented download managers, a `<video>` seeking),
 * counted in the store so that the allowance holds across every instance sharing it.
 *
 * How the download route uses it, for a file of known `size`:
 * 1. `check(claims, size)` before answering (`HEAD` included; `HEAD` never counts);
 * 2. `meter(claims, size, body)` around the media body of a `GET`: the bytes it lets through are
 *    counted, and it cuts the response once the allowance and a small slack are spent.
 */
export interface ByteAllowance {
  /**
   * Checks that the token has bytes left: throws `TokenUsedError` (410) once it has served
   * N × `size` bytes. Tokens without `maxUses` are not looked up (no store round-trip). A store
   * that does not answer fails closed: `StoreUnavailableError` (503 + Retry-After) propagates.
   */
  check(claims: Metered, size: number): Promise<void>;
  /**
   * The body as it will be sent, counted: every {@link COUNT_STEP_BYTES} and at the end, the
   * bytes let through are added to the token's count; once the count passes N × `size` plus
   * {@link slackOf}, or the store stops answering, the stream errors (the declared
   * Content-Length shows the cut to the client). Without `maxUses`, `body` itself.
   */
  meter(claims: Metered, size: number, body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array>;
}

/**
 * Bytes allowed beyond N copies before a response is cut: ranged clients overlap their ranges a
 * little (a seek re-reads a few hundred KiB), and counting happens in steps.
 */
export function slackOf(allowance: number): number {
  return Math.max(2 * COUNT_STEP_BYTES, Math.ceil(allowance / 50));
}

/**
 * Builds the {@link ByteAllowance}: one atomic `increment` of `token-bytes:<jti>` per counting
 * step, kept until the token's expiry plus {@link USE_COUNT_GRACE_MS}, so the count disappears by
 * itself once the token is useless anyway.
 */
export function createByteAllowance(store: Store, clock: Clock): ByteAllowance {
  const keyOf = (jti: string) => `token-bytes:${jti}`;
  const usedUp = (maxUses: number) =>
    new TokenUsedError(
      `download token has already served its ${maxUses} allowed cop${maxUses === 1 ? "y" : "ies"}`,
    );

  return {
    async check({ jti, maxUses }, size) {
      if (maxUses === undefined) return;
      const served = Number((await store.get(keyOf(jti))) ?? 0);
      if (served >= maxUses * size) throw usedUp(maxUses);
    },

    meter({ jti, maxUses, expiresAt }, size, body) {
      if (maxUses === undefined) return body;
      const limit = maxUses * size + slackOf(maxUses * size);
      const ttlMs = () => Math.max(expiresAt.getTime() - clock(), 0) + USE_COUNT_GRACE_MS;
      const reader = body.getReader();
      let uncounted = 0;
      const count = async (): Promise<number | undefined> => {
        if (uncounted === 0) return undefined;
        const bytes = uncounted;
        uncounted = 0;
        return store.increment(keyOf(jti), ttlMs(), bytes);
      };
      const stop = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown) => {
        void reader.cancel(error).catch(() => undefined); // the origin request goes with it
        controller.error(error);
      };
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            const read = await reader.read();
            if (read.done) {
              // The copy is complete: a count that cannot be stored now is a few KiB short at most.
              await count().catch(() => undefined);
              controller.close();
              return;
            }
            uncounted += read.value.byteLength;
            if (uncounted >= COUNT_STEP_BYTES) {
              const served = await count().catch((error: unknown) => error);
              if (typeof served !== "number") return stop(controller, served);
              if (served > limit) return stop(controller, usedUp(maxUses));
            }
            controller.enqueue(read.value);
          },
          async cancel(reason) {
            // The client went away: what it was sent still counts.
            await count().catch(() => undefined);
            await reader.cancel(reason);
          },
        },
        { highWaterMark: 0 },
      );
    },
  };
}
