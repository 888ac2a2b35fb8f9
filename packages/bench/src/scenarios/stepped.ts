import type { LoadPool } from "../load/pool";
import { commandCpuPercent, cpuPercent, sampleCommand, sampleMachine } from "../proc-stats";
import type { TargetKind } from "../load/protocol";
import type { PhaseResult, SteppedResult } from "../results";
import type { ServerProcess } from "../servers/process";

export interface Step {
  label: string;
  ratePerClient: number;
  sendEvery: number;
}

export interface SteppedOptions {
  target: TargetKind;
  pool: LoadPool;
  server: ServerProcess;
  connections: number;
  /** Recipients of each message (everyone in the room, the sender included). */
  fanOut: number;
  steps: Step[];
  phaseMs: number;
  drainMs: number;
  maxP99Ms: number;
  warmupMs: number;
  /** Phase numbers tag messages; each step (and the warm-up) needs one no other step used. */
  firstPhase: number;
}

const MiB = 1024;

function verdict(phase: Omit<PhaseResult, "sustainable" | "limitedBy">, offered: number, maxP99Ms: number) {
  if (phase.p99Ms === null) return "no deliveries";
  if (phase.p99Ms > maxP99Ms) return `p99 ${phase.p99Ms.toFixed(0)} ms > ${maxP99Ms} ms`;
  if (phase.failed + phase.skipped > offered * 0.01) return `${phase.failed} failed, ${phase.skipped} not sent`;
  if (phase.persistedPerSec < phase.offeredPerSec * 0.95) return "server acknowledged < 95% of offered";
  if (phase.deliveredRatio < 0.98) return `only ${(phase.deliveredRatio * 100).toFixed(1)}% delivered`;
  if (phase.dropped > 0) return `${phase.dropped} connections dropped`;
  return null;
}

/** Raises the send rate step by step and stops at the first step the server cannot sustain. */
export async function runSteps(options: SteppedOptions): Promise<SteppedResult> {
  const phases: PhaseResult[] = [];
  let phaseNumber = options.firstPhase;
  // Connecting leaves work behind (subscription backfills, presence updates) and a cold JIT: a short
  // unrecorded step at the first rate lets that settle so the first step measures steady state.
  const first = options.steps[0];
  if (first && options.warmupMs > 0) {
    await options.pool.phase({
      phase: phaseNumber++,
      ratePerClient: first.ratePerClient,
      sendEvery: first.sendEvery,
      durationMs: options.warmupMs,
      drainMs: options.drainMs,
      maxInFlight: 5_000,
    });
  }
  for (const step of options.steps) {
    const before = options.server.sample();
    const dbBefore = sampleCommand("postgres");
    const machineBefore = sampleMachine();
    const totals = await options.pool.phase({
      phase: phaseNumber++,
      ratePerClient: step.ratePerClient,
      sendEvery: step.sendEvery,
      durationMs: options.phaseMs,
      drainMs: options.drainMs,
      maxInFlight: 5_000,
    });
    const server = options.server.cpuSince(before);
    const machineAfter = sampleMachine();
    const dbCpuPercent = commandCpuPercent(
      dbBefore,
      sampleCommand("postgres"),
      (machineAfter.at - machineBefore.at) / 1000,
    );
    const seconds = options.phaseMs / 1000;
    const owed = totals.acked * options.fanOut;
    const measured = {
      label: step.label,
      connections: options.connections,
      offeredPerSec: totals.offered / seconds,
      persistedPerSec: totals.acked / seconds,
      deliveriesPerSec: totals.received / seconds,
      deliveredRatio: owed > 0 ? totals.received / owed : 0,
      p50Ms: totals.latency.percentile(50),
      p95Ms: totals.latency.percentile(95),
      p99Ms: totals.latency.percentile(99),
      maxMs: totals.latency.count > 0 ? totals.latency.max : null,
      failed: totals.failed,
      skipped: totals.skipped,
      dropped: totals.dropped,
      serverCpuPercent: server.cpuPercent,
      serverRssMiB: server.rssKiB / MiB,
      generatorCpuPercent: totals.generatorCpuPercent,
      dbCpuPercent,
      machineCpuPercent: cpuPercent(machineBefore, machineAfter),
      firstError: totals.firstError,
    };
    const limitedBy = verdict(measured, totals.offered, options.maxP99Ms);
    phases.push({ ...measured, sustainable: limitedBy === null, limitedBy });
    if (limitedBy !== null) break;
  }
  const sustained = phases.filter((p) => p.sustainable);
  return { target: options.target, connections: options.connections, phases, best: sustained.at(-1) ?? null };
}
