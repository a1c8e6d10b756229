import type { Stack } from "./stack.ts";

/** The value of one sample (`name` or `name{labels}`) in Prometheus text, 0 when absent. */
export function sampleValue(text: string, sample: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

/** The gateway's `/metrics` text. */
export async function metricsText(stack: Pick<Stack, "gateway">): Promise<string> {
  return (await fetch(new URL("/metrics", stack.gateway.url))).text();
}

/** The value of one sample of the gateway's `/metrics`, 0 when absent. */
export async function metric(stack: Pick<Stack, "gateway">, sample: string): Promise<number> {
  return sampleValue(await metricsText(stack), sample);
}
