import { describe, expect, it } from "vitest";
import { historyGc } from "../src/scenarios/history";

describe("history's server GC attribution", () => {
  it("takes each pause out of the page it fell in, counts those pages, and ignores pauses outside the pages", () => {
    // Pages as [start, duration]: 0–2, 10–20 (a 6 ms scavenge inside), 30–31 (half of a 2 ms major pause).
    const pages = [0, 2, 10, 10, 30, 1];
    const pauses = [
      { startMs: 12, durationMs: 6, kind: 1 },
      { startMs: 30.5, durationMs: 2, kind: 4 },
      { startMs: 50, durationMs: 9, kind: 1 },
    ];
    const gc = historyGc(pages, pauses);
    expect(gc.youngCollections).toBe(1);
    expect(gc.youngMeanMs).toBe(6);
    expect(gc.youngMaxMs).toBe(6);
    expect(gc.otherCollections).toBe(1);
    expect(gc.pagesPaused).toBe(2);
    // Without the pauses the pages took 2, 4 and 0.5 ms: the slowest is 4, not 10.
    expect(gc.p99WithoutGcMs).toBeCloseTo(4, 0);
  });
});
