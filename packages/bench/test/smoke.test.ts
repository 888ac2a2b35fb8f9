import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig, type BenchConfig } from "../src/config";
import { renderSvg } from "../src/report/svg";
import { renderReport } from "../src/report/table";
import { runBench } from "../src/run";
import type { BenchResults, SteppedResult } from "../src/results";

/**
 * Runs the whole harness at smoke sizes against real servers and checks that every scenario
 * produced numbers. Speed is never asserted: a benchmark is not a pass/fail test.
 */

const hasPostgres = Boolean(process.env.DATABASE_URL);
const outputDir = mkdtempSync(join(tmpdir(), "murmur-bench-test-"));
afterAll(() => rmSync(outputDir, { recursive: true, force: true }));

function smokeConfig(): BenchConfig {
  const config = parseConfig(["--smoke", "--out", outputDir], { ...process.env, BENCH_SMOKE: "1" });
  if (config === "help") throw new Error("unexpected help");
  return config;
}

const measured = (result: SteppedResult | undefined) => {
  expect(result, "scenario ran").toBeDefined();
  const phase = result?.phases[0];
  expect(phase?.persistedPerSec).toBeGreaterThan(0);
  expect(phase?.deliveriesPerSec).toBeGreaterThan(0);
  expect(phase?.p99Ms).not.toBeNull();
  expect(phase?.serverRssMiB).toBeGreaterThan(0);
};

describe("benchmark harness (smoke)", () => {
  let results: BenchResults;

  it("runs every scenario at tiny sizes and reports numbers for each", { timeout: 90_000 }, async () => {
    results = await runBench(smokeConfig());
    expect(results.errors).toEqual([]);
    measured(results.rooms.find((r) => r.target === "ws"));
    measured(results.bigRoom.find((r) => r.target === "ws"));
    measured(results.embedded ?? undefined);
    expect(results.idle.find((r) => r.target === "ws")?.levels[0]?.connections).toBeGreaterThan(0);
    expect(results.idle.find((r) => r.target === "ws")?.levels[0]?.kibPerConnectionAfterGc).toBeTypeOf("number");
    expect(results.targets.length).toBe(6);
    expect(renderReport(results)).toContain("Targets");
    expect(renderSvg(results)).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });

  it.skipIf(!hasPostgres)("measures Murmur on Postgres and the Socket.IO baseline", () => {
    for (const target of ["murmur", "socketio"] as const) {
      measured(results.rooms.find((r) => r.target === target));
      measured(results.bigRoom.find((r) => r.target === target));
      expect(results.idle.find((r) => r.target === target)?.levels[0]?.kibPerConnection).toBeTypeOf("number");
      expect(results.idle.find((r) => r.target === target)?.levels[0]?.kibPerConnectionAfterGc).toBeTypeOf("number");
    }
    expect(results.history?.requests).toBeGreaterThan(0);
    expect(results.history?.p99Ms).not.toBeNull();
    expect(results.history?.authMeP99Ms).not.toBeNull();
    expect(results.history?.driverAloneP99Ms).not.toBeNull();
    // Read through the server's inspector: the smoke run's pages are few, but the numbers must be there.
    expect(results.history?.serverGc?.p99WithoutGcMs).toBeTypeOf("number");
    expect(results.history?.serverGc?.p99WithoutGcMs).toBeLessThanOrEqual(results.history?.p99Ms ?? 0);
  });

  it.skipIf(hasPostgres)("skips Murmur-on-Postgres, Socket.IO and history without DATABASE_URL", () => {
    // Skip reason: those servers need a Postgres to write to; CI sets DATABASE_URL.
    expect(results.skipped.some((s) => s.includes("DATABASE_URL"))).toBe(true);
  });
});
