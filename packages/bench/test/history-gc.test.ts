import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { historyGc } from "../src/scenarios/history";
import { INSPECT_FLAG, inspectorUrlIn, takeGc, watchGc } from "../src/servers/inspector";

describe("history's server GC attribution", () => {
  it("takes each pause out of the page it fell in, counts those pages, and ignores pauses outside the pages", () => {
    // Pages 0–2, 10–20 (a 6 ms scavenge inside) and 30–31 (its last half taken by the first 0.5 ms of a 2 ms major pause).
    const pages = [
      { startedMs: 0, ms: 2 },
      { startedMs: 10, ms: 10 },
      { startedMs: 30, ms: 1 },
    ];
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

  it("reads a process's GC pauses through its inspector on the clock this process measures with", async () => {
    // The child runs a full collection between two readings of the machine's monotonic clock when asked.
    const child = spawn(
      process.execPath,
      [
        INSPECT_FLAG,
        "--expose-gc",
        "-e",
        `process.stdin.once("data", () => {
          const before = Number(process.hrtime.bigint()) / 1e6;
          gc();
          const after = Number(process.hrtime.bigint()) / 1e6;
          process.stdout.write(JSON.stringify({ before, after }) + "\\n");
        });`,
      ],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    try {
      let stderr = "";
      const inspectorUrl = await new Promise<string>((resolve, reject) => {
        child.once("exit", () => reject(new Error(`the child exited: ${stderr}`)));
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const url = inspectorUrlIn(stderr);
          if (url) resolve(url);
        });
      });
      await watchGc(inspectorUrl);
      const window = await new Promise<{ before: number; after: number }>((resolve) => {
        child.stdout.once("data", (chunk: Buffer) =>
          resolve(JSON.parse(chunk.toString()) as { before: number; after: number }),
        );
        child.stdin.write("go\n");
      });
      const pauses = await takeGc(inspectorUrl);
      const major = pauses.filter((p) => p.kind === 4);
      expect(major.length).toBeGreaterThan(0);
      for (const pause of major) {
        expect(pause.startMs).toBeGreaterThanOrEqual(window.before - 0.5);
        expect(pause.startMs + pause.durationMs).toBeLessThanOrEqual(window.after + 0.5);
      }
      await expect(takeGc(inspectorUrl)).rejects.toThrow("not recording");
    } finally {
      child.kill();
    }
  });
});
