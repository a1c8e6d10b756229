import { describe, expect, test } from "bun:test";
import { createEgressPool } from "../../src/sources/youtube/egress-pool.ts";

const EGRESSES = ["a", "b", "c"].map((id) => ({ id, proxy: `http://${id}.proxy:3128` }));
const IDS = Array.from({ length: 60 }, (_, i) => `video${String(i).padStart(6, "0")}`);

function pool(clock: () => number = () => 0) {
  return createEgressPool({ egresses: EGRESSES, clock, restAfter: 3, restMs: 60_000 });
}

describe("the egress pool", () => {
  test("two instances with the same list choose the same egress for each video, and spread videos over all", () => {
    const one = pool();
    const two = createEgressPool({
      egresses: [...EGRESSES].reverse(),
      clock: () => 0,
      restAfter: 3,
      restMs: 60_000,
    });
    expect(IDS.map((id) => one.choose(id).id)).toEqual(IDS.map((id) => two.choose(id).id));
    expect(new Set(IDS.map((id) => one.choose(id).id))).toEqual(new Set(["a", "b", "c"]));
  });

  test("an egress challenged three times in a row rests; only its videos move, and they come back after the rest", () => {
    let now = 0;
    const egresses = pool(() => now);
    const before = new Map(IDS.map((id) => [id, egresses.choose(id).id]));
    egresses.challenged("a");
    egresses.challenged("a");
    expect(egresses.states()).toEqual({ a: "challenged", b: "ok", c: "ok" });
    egresses.challenged("a");
    expect(egresses.states()).toEqual({ a: "resting", b: "ok", c: "ok" });
    for (const id of IDS) {
      const chosen = egresses.choose(id).id;
      expect(chosen).not.toBe("a");
      if (before.get(id) !== "a") expect(chosen).toBe(before.get(id) as string);
    }
    now = 60_000;
    expect(egresses.states()).toEqual({ a: "ok", b: "ok", c: "ok" });
    expect(IDS.map((id) => egresses.choose(id).id)).toEqual(IDS.map((id) => before.get(id) as string));
  });

  test("a success ends a streak of challenges", () => {
    const egresses = pool();
    egresses.challenged("b");
    egresses.challenged("b");
    egresses.succeeded("b");
    egresses.challenged("b");
    expect(egresses.states().b).toBe("challenged");
  });

  test("when every egress rests, videos keep their own and Retry-After says when the first rest ends", () => {
    let now = 0;
    const egresses = pool(() => now);
    const own = IDS.map((id) => egresses.choose(id).id);
    for (const { id } of EGRESSES) for (let i = 0; i < 3; i++) egresses.challenged(id);
    expect(IDS.map((id) => egresses.choose(id).id)).toEqual(own);
    now = 20_000;
    expect(egresses.retryAfterSeconds()).toBe(40);
  });
});
