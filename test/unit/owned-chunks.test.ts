import { describe, expect, test } from "bun:test";
import { chunkReleaserOf, withOwnedChunks } from "../../src/http/owned-chunks.ts";

const body = () => new ReadableStream<Uint8Array>();

describe("owned chunks", () => {
  test("a body not marked as owning its chunks gets no releaser: its chunks may be shared", () => {
    expect(chunkReleaserOf(body())).toBeUndefined();
  });

  test("a marked body's releaser frees a chunk that is its whole buffer", () => {
    const release = chunkReleaserOf(withOwnedChunks(body()));
    const chunk = new Uint8Array(4096).fill(7);
    release?.(chunk);
    expect(release).toBeFunction();
    expect(chunk.buffer.detached).toBe(true);
    expect(chunk.byteLength).toBe(0);
  });

  test("a view into a larger buffer is left alone, with its neighbours' bytes", () => {
    const release = chunkReleaserOf(withOwnedChunks(body()));
    const shared = new Uint8Array(64).fill(9);
    const view = shared.subarray(16, 32);
    release?.(view);
    expect(release).toBeFunction();
    expect(shared.buffer.detached).toBe(false);
    expect([...view]).toEqual(new Array(16).fill(9));
    expect(shared.every((byte) => byte === 9)).toBe(true);
  });

  test("marking is per body: another body stays unmarked", () => {
    withOwnedChunks(body());
    expect(chunkReleaserOf(body())).toBeUndefined();
  });
});
