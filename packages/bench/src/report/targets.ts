import type { TargetKind } from "../load/protocol";
import type { BenchResults, PhaseResult, SteppedResult, TargetCheck } from "../results";

const f = (n: number | null | undefined, digits = 0) => (n == null ? "n/a" : n.toFixed(digits));
const of = (list: SteppedResult[], kind: TargetKind) => list.find((r) => r.target === kind);

/** The other server's p99 at the same offered step; a step it never reached counts as its last (failed) one. */
function p99AtSameStep(mine: PhaseResult, theirs: SteppedResult): number | null {
  const same = theirs.phases.find((p) => p.label === mine.label);
  return (same ?? theirs.phases.at(-1))?.p99Ms ?? null;
}

export function evaluateTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const murmurRooms = of(results.rooms, "murmur");
  const sioRooms = of(results.rooms, "socketio");
  const mRate = murmurRooms?.best?.persistedPerSec ?? null;
  const sRate = sioRooms?.best?.persistedPerSec ?? null;
  checks.push({
    name: "rate vs Socket.IO",
    goal: "sustainable persisted msg/s ≥ 1.5× Socket.IO (rooms scenario)",
    measured:
      mRate !== null && sRate !== null
        ? `${f(mRate)} vs ${f(sRate)} msg/s = ${f(sRate > 0 ? mRate / sRate : null, 2)}×`
        : `Murmur ${f(mRate)} / Socket.IO ${f(sRate)}`,
    pass: murmurRooms && sioRooms ? (mRate ?? 0) >= 1.5 * (sRate ?? 0) && mRate !== null : null,
  });

  const mBest = murmurRooms?.best ?? null;
  const sP99 = mBest && sioRooms ? p99AtSameStep(mBest, sioRooms) : null;
  checks.push({
    name: "p99 vs Socket.IO",
    goal: "Murmur's p99 at its sustainable rate ≤ Socket.IO's p99 at that rate",
    measured: mBest ? `${f(mBest.p99Ms, 1)} ms vs ${f(sP99, 1)} ms at ${mBest.label}` : "Murmur sustained no step",
    pass: murmurRooms && sioRooms ? mBest !== null && (sP99 === null || (mBest.p99Ms ?? Infinity) <= sP99) : null,
  });

  const mBig = of(results.bigRoom, "murmur");
  const wBig = of(results.bigRoom, "ws");
  const mDel = mBig?.best?.deliveriesPerSec ?? null;
  const wDel = wBig?.best?.deliveriesPerSec ?? null;
  const capped = wBig && wBig.phases.length > 0 && wBig.phases.every((p) => p.sustainable);
  checks.push({
    name: "deliveries vs bare ws",
    goal: "sustainable deliveries/s ≥ 0.5× the bare-ws ceiling (one big room)",
    measured:
      mDel !== null && wDel !== null
        ? `${f(mDel)} vs ${f(wDel)} deliveries/s = ${f(wDel > 0 ? mDel / wDel : null, 2)}×${capped ? " (ceiling sustained every step: it is capped by the step list)" : ""}`
        : `Murmur ${f(mDel)} / ws ${f(wDel)}`,
    pass: mBig && wBig ? (mDel ?? 0) >= 0.5 * (wDel ?? 0) && mDel !== null : null,
  });

  const idle = results.idle.find((r) => r.target === "murmur");
  const top = idle?.levels.at(-1);
  checks.push({
    name: "RSS per idle connection",
    goal: "≤ 20 KiB per idle connection (with one subscription)",
    measured: top
      ? (top.kibPerConnectionAfterGc !== null
          ? `${f(top.kibPerConnectionAfterGc, 1)} KiB at ${top.connections} connections after a full GC; settled, before it: ${f(top.kibPerConnection, 1)}`
          : `${f(top.kibPerConnection, 1)} KiB at ${top.connections} connections`) +
        (top.marginalKibPerConnection !== null
          ? ` (each one past the previous level: ${f(top.marginalKibPerConnection, 1)})`
          : "")
      : "not run",
    pass: top ? (top.kibPerConnectionAfterGc ?? top.kibPerConnection) <= 20 : null,
  });

  const history = results.history;
  checks.push({
    name: "history page p99",
    goal: `< 5 ms at ${history ? history.messages.toLocaleString("en-US") : "1,000,000"} messages`,
    measured: history
      ? `p99 ${f(history.p99Ms, 2)} ms (p50 ${f(history.p50Ms, 2)} ms; a one-row auth.me beside it: p99 ${f(history.authMeP99Ms, 2)} ms; pages of the same kind by postgres.js alone: p99 ${f(history.driverAloneP99Ms, 2)} ms` +
        (history.serverGc ? `; without the server's GC pauses: p99 ${f(history.serverGc.p99WithoutGcMs, 2)} ms` : "") +
        ")"
      : "not run",
    pass: history && history.p99Ms !== null ? history.p99Ms < 5 : null,
  });

  const embedded = results.embedded;
  checks.push({
    name: "embedded send rate",
    goal: "PGlite mode sustains ≥ 1,000 msg/s",
    measured: embedded ? `${f(embedded.best?.persistedPerSec ?? 0)} msg/s` : "not run",
    pass: embedded ? (embedded.best?.persistedPerSec ?? 0) >= 1_000 : null,
  });
  return checks;
}
