/** How many download tokens one thread signs and verifies per second (src/tokens/token-service.ts). */
import { randomTokenSecret, tokenSecretsFrom } from "../../src/tokens/token-secrets.ts";
import { createTokenService } from "../../src/tokens/token-service.ts";

/** Operations per second of each repetition. */
export interface TokenRates {
  readonly signPerSecond: number[];
  readonly verifyPerSecond: number[];
}

const CLAIMS = {
  source: "youtube",
  videoId: "Plain000001",
  delivery: { kind: "file", itag: 18 },
  disposition: "attachment",
  filename: "The Fake Tour.mp4",
} as const;

/** Runs `op` back to back for about `ms` milliseconds (at most `cap` times); returns ops/s. */
async function rate(op: (i: number) => Promise<unknown>, ms: number, cap: number): Promise<number> {
  const started = performance.now();
  let done = 0;
  while (done < cap && performance.now() - started < ms) {
    for (let batch = 0; batch < 100 && done < cap; batch++) await op(done++);
  }
  return done / ((performance.now() - started) / 1000);
}

/**
 * Signs, then verifies, tokens one after the other (awaited), `reps` times for about `ms` each,
 * with two secrets configured (so verification looks up the key by `kid`, as in a rotation).
 */
export async function measureTokenRates(reps: number, ms: number): Promise<TokenRates> {
  const tokens = createTokenService({
    secrets: tokenSecretsFrom([randomTokenSecret(), randomTokenSecret()]),
    clock: Date.now,
    randomId: () => crypto.randomUUID(),
  });
  const samples = await Promise.all(Array.from({ length: 64 }, () => tokens.sign(CLAIMS, 3600)));
  const signPerSecond: number[] = [];
  const verifyPerSecond: number[] = [];
  await rate(() => tokens.sign(CLAIMS, 3600), 100, 5_000); // warm-up
  for (let rep = 0; rep < reps; rep++) {
    signPerSecond.push(await rate(() => tokens.sign(CLAIMS, 3600), ms, 1_000_000));
    verifyPerSecond.push(
      await rate((i) => tokens.verify(samples[i % samples.length]?.token ?? ""), ms, 1_000_000),
    );
  }
  return { signPerSecond, verifyPerSecond };
}
