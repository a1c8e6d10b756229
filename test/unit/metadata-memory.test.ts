import { describe, expect, test } from "bun:test";
import { createMetadataMemory } from "../../src/core/metadata-memory.ts";
import type { Store, VideoSource } from "../../src/core/ports.ts";
import { createSharedExtraction } from "../../src/core/shared-extraction.ts";
import type { VideoInfo, VideoRef } from "../../src/core/video.ts";
import { createVideoService, DEFAULT_EGRESS_ID } from "../../src/core/video-service.ts";
import { createMemoryStore } from "../../src/stores/memory-store.ts";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const REF: VideoRef = { source: "youtube", id: "Plain000001" };

/** A VideoInfo as a source would give it (only the fields the service passes through matter here). */
const infoOf = (title: string) => ({ ...REF, title, formats: [] }) as unknown as VideoInfo;

/** A source that counts extractions and a store that counts reads, around the real memory store. */
function setup(memoryTtlMs: number) {
  let now = T0;
  const clock = () => now;
  let extractions = 0;
  let reads = 0;
  const source = {
    name: "youtube",
    parse: () => REF,
    getInfo: async () => infoOf(`extraction ${++extractions}`),
  } as unknown as VideoSource;
  const inner = createMemoryStore({ maxEntries: 10, clock });
  const store: Store = {
    ...inner,
    get(key) {
      reads++;
      return inner.get(key);
    },
  };
  const service = createVideoService({
    sources: [source],
    store,
    cacheTtlMs: 600_000,
    egressId: DEFAULT_EGRESS_ID,
    // No lock: this one instance extracts alone.
    shared: createSharedExtraction({
      lock: undefined,
      lockTtlMs: 1_000,
      maxWaitMs: 1_000,
      pollMs: 50,
      sleep: (ms) => Bun.sleep(ms),
      clock,
    }),
    memory: createMetadataMemory({ clock, ttlMs: memoryTtlMs, maxEntries: 2 }),
  });
  return {
    service,
    reads: () => reads,
    extractions: () => extractions,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe("parsed metadata held in memory in front of the store", () => {
  test("a cached video is answered without reading (and parsing) the store again", async () => {
    const s = setup(30_000);
    const first = await s.service.getInfo(REF);
    const readsAfterExtraction = s.reads();
    const second = await s.service.getInfo(REF);
    expect(second).toBe(first); // the same parsed object, not a copy parsed again
    expect(s.reads()).toBe(readsAfterExtraction);
    expect(s.extractions()).toBe(1);
  });

  test("after its short TTL the store is asked again, and still answers without extracting", async () => {
    const s = setup(30_000);
    const first = await s.service.getInfo(REF);
    s.advance(30_001);
    const readsBefore = s.reads();
    const again = await s.service.getInfo(REF);
    expect(s.reads()).toBe(readsBefore + 1);
    expect(again).toEqual(first);
    expect(s.extractions()).toBe(1);
  });

  test("a fresh extraction replaces what memory holds", async () => {
    const s = setup(30_000);
    await s.service.getInfo(REF);
    const fresh = await s.service.getInfo(REF, { fresh: true });
    expect(fresh.title).toBe("extraction 2");
    expect((await s.service.getInfo(REF)).title).toBe("extraction 2");
  });

  test("holds at most maxEntries videos, forgetting the least recently used", () => {
    let now = T0;
    const memory = createMetadataMemory({ clock: () => now, ttlMs: 1000, maxEntries: 2 });
    memory.set("a", infoOf("a"));
    memory.set("b", infoOf("b"));
    memory.get("a");
    memory.set("c", infoOf("c"));
    expect(memory.get("b")).toBeUndefined();
    expect(memory.get("a")?.title).toBe("a");
    expect(memory.get("c")?.title).toBe("c");
    now += 1000;
    expect(memory.get("a")).toBeUndefined();
  });

  test("says until when a video it handed out is held: what is built from it may live as long, no longer", async () => {
    const s = setup(30_000);
    const extracted = await s.service.getInfo(REF);
    expect(s.service.heldUntil(extracted)).toBe(T0 + 30_000);
    s.advance(30_001);
    const reread = await s.service.getInfo(REF);
    expect(s.service.heldUntil(reread)).toBe(T0 + 60_001);
    expect(s.service.heldUntil(infoOf("never held"))).toBeUndefined();
  });
});
