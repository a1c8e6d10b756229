import { expect, test } from "bun:test";
import { createLineBatch } from "../../src/observability/line-batch.ts";

/** A batch whose scheduled flushes run only when the test says so. */
function batchUnderTest(maxChars = 1000) {
  const written: string[] = [];
  const pending: (() => void)[] = [];
  const batch = createLineBatch({
    write: (text) => written.push(text),
    schedule: (flush) => pending.push(flush),
    maxChars,
  });
  const runScheduled = () => {
    for (const flush of pending.splice(0)) flush();
  };
  return { batch, written, pending, runScheduled };
}

test("lines logged in one turn go out together, in order, once the turn ends", () => {
  const { batch, written, pending, runScheduled } = batchUnderTest();
  batch.add("a\n");
  batch.add("b\n");
  batch.add("c\n");
  expect(written).toEqual([]);
  expect(pending).toHaveLength(1);
  runScheduled();
  expect(written).toEqual(["a\nb\nc\n"]);
  batch.add("d\n");
  runScheduled();
  expect(written).toEqual(["a\nb\nc\n", "d\n"]);
});

test("a batch past maxChars is written at once, without waiting for the turn to end", () => {
  const { batch, written, runScheduled } = batchUnderTest(10);
  batch.add("12345\n");
  batch.add("67890\n");
  expect(written).toEqual(["12345\n67890\n"]);
  runScheduled();
  expect(written).toEqual(["12345\n67890\n"]);
});

test("flush writes what waits (at exit) and a flush with nothing waiting writes nothing", () => {
  const { batch, written, runScheduled } = batchUnderTest();
  batch.add("last words\n");
  batch.flush();
  expect(written).toEqual(["last words\n"]);
  runScheduled();
  batch.flush();
  expect(written).toEqual(["last words\n"]);
});
