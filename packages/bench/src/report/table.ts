import type { BenchResults, HistoryGc, PhaseResult, SteppedResult } from "../results";

const num = (n: number | null | undefined, digits = 0) => (n == null || !Number.isFinite(n) ? "-" : n.toFixed(digits));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a != null && b != null && b > 0 ? `${(a / b).toFixed(2)}×` : "n/a";

const PHASE_HEADER = [
  "target",
  "step",
  "conns",
  "offered/s",
  "persisted/s",
  "deliveries/s",
  "delivered",
  "p50 ms",
  "p95 ms",
  "p99 ms",
  "max ms",
  "srv CPU%",
  "srv RSS MiB",
  "gen CPU%",
  "db CPU%",
  "all CPU%",
  "verdict",
];

const phaseRow = (target: string, p: PhaseResult) => [
  target,
  p.label,
  String(p.connections),
  num(p.offeredPerSec),
  num(p.persistedPerSec),
  num(p.deliveriesPerSec),
  `${num(p.deliveredRatio * 100, 1)}%`,
  num(p.p50Ms, 1),
  num(p.p95Ms, 1),
  num(p.p99Ms, 1),
  num(p.maxMs, 0),
  num(p.serverCpuPercent),
  num(p.serverRssMiB),
  num(p.generatorCpuPercent),
  num(p.dbCpuPercent),
  num(p.machineCpuPercent),
  p.sustainable ? "ok" : `LIMIT: ${p.limitedBy ?? ""}`,
];

function steppedSection(title: string, list: SteppedResult[]): string {
  if (list.length === 0) return `${title}\n(not run)`;
  const rows = list.flatMap((r) => r.phases.map((p) => phaseRow(r.target, p)));
  const best = (kind: string) => list.find((r) => r.target === kind)?.best ?? null;
  const summary = list
    .map((r) =>
      r.best
        ? `${r.target}: ${num(r.best.persistedPerSec)} msg/s persisted, ${num(r.best.deliveriesPerSec)} deliveries/s, p99 ${num(r.best.p99Ms, 1)} ms (${r.best.label})`
        : `${r.target}: no sustainable step`,
    )
    .join("\n");
  const m = best("murmur");
  const ratios =
    `Murmur/Socket.IO: ${ratio(m?.persistedPerSec, best("socketio")?.persistedPerSec)} msg/s, ` +
    `${ratio(m?.deliveriesPerSec, best("socketio")?.deliveriesPerSec)} deliveries/s; ` +
    `Murmur/ceiling: ${ratio(m?.persistedPerSec, best("ws")?.persistedPerSec)} msg/s, ` +
    `${ratio(m?.deliveriesPerSec, best("ws")?.deliveriesPerSec)} deliveries/s`;
  return `${title}\n${table(PHASE_HEADER, rows)}\nHighest sustainable step:\n${summary}\n${ratios}`;
}

/** What the server's garbage collection did while the pages were read, under the history table. */
function serverGcLine(gc: HistoryGc | null, pages: number): string {
  if (!gc) return "";
  return (
    `\nServer GC meanwhile: ${String(gc.youngCollections)} young collections (mean ${num(gc.youngMeanMs, 2)} ms, ` +
    `max ${num(gc.youngMaxMs, 2)}), ${String(gc.otherCollections)} major or incremental; a pause fell in ` +
    `${String(gc.pagesPaused)} of ${String(pages)} pages; their p99 with those pauses taken out: ${num(gc.p99WithoutGcMs, 2)} ms`
  );
}

export function renderReport(results: BenchResults): string {
  const out: string[] = [];
  out.push(
    `Murmur benchmark${results.smoke ? " (SMOKE: tiny sizes, numbers mean nothing)" : ""} — ` +
      `${results.machine.cpus} CPUs, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}; ` +
      `server and load generator share the machine; load average ${results.machine.loadAverageBefore.toFixed(1)} before, ` +
      `${results.machine.loadAverageAfter.toFixed(1)} after`,
  );
  out.push(
    `Sustainable = p99 ≤ ${String(results.settings.maxP99Ms)} ms, ≥ 95% of offered sends acknowledged, ≥ 98% delivered, < 1% errors.`,
  );

  const idleRows = results.idle.flatMap((r) =>
    r.levels.map((l) => [
      r.target,
      String(l.connections),
      String(l.failed),
      num(r.baselineRssMiB),
      num(l.serverRssMiB),
      num(l.rssDeltaMiB, 1),
      num(l.kibPerConnection, 1),
      num(l.idleCpuPercent, 1),
      r.baselineRssAfterGcMiB === null || l.serverRssAfterGcMiB === null
        ? ""
        : `${num(r.baselineRssAfterGcMiB)} → ${num(l.serverRssAfterGcMiB)}`,
      l.kibPerConnectionAfterGc === null ? "" : num(l.kibPerConnectionAfterGc, 1),
      l.marginalKibPerConnection === null ? "" : num(l.marginalKibPerConnection, 1),
    ]),
  );
  const idleRatio = (kind: string) => {
    const top = (target: string) => results.idle.find((r) => r.target === target)?.levels.at(-1);
    const m = top("murmur");
    const o = top(kind);
    return m?.kibPerConnectionAfterGc != null && o?.kibPerConnectionAfterGc != null
      ? `${ratio(m.kibPerConnectionAfterGc, o.kibPerConnectionAfterGc)} after GC (${ratio(m.kibPerConnection, o.kibPerConnection)} settled)`
      : ratio(m?.kibPerConnection, o?.kibPerConnection);
  };
  out.push(
    `\n1. Idle connections, one room subscription each\n` +
      (idleRows.length
        ? table(
            [
              "target",
              "conns",
              "failed",
              "base RSS MiB",
              "RSS MiB",
              "Δ MiB",
              "KiB/conn",
              "idle CPU%",
              "after GC: base → RSS MiB",
              "KiB/conn after GC",
              "marginal KiB/conn",
            ],
            idleRows,
          ) + `\nMurmur/Socket.IO KiB per connection: ${idleRatio("socketio")}, Murmur/ceiling: ${idleRatio("ws")}`
        : "(not run)"),
  );
  out.push(
    `\n2. Rooms (${String(results.settings.roomsClients)} clients in rooms of ${String(results.settings.roomsRoomSize)})\n` +
      steppedSection("", results.rooms).trimStart(),
  );
  out.push(
    `\n3. One big room (${String(results.settings.bigRoomMembers)} members)\n` +
      steppedSection("", results.bigRoom).trimStart(),
  );
  const h = results.history;
  out.push(
    `\n4. History (messages.history as tRPC ${h?.via === "ws" ? "frames on the WebSocket" : "GETs over HTTP"}, one request at a time)\n` +
      (h
        ? table(
            [
              "messages",
              "requests",
              "failed",
              "seed s",
              "p50 ms",
              "p95 ms",
              "p99 ms",
              "max ms",
              "auth.me p50/p99 ms",
              "postgres.js alone p50/p99 ms",
            ],
            [
              [
                h.messages.toLocaleString("en-US"),
                String(h.requests),
                String(h.failed),
                num(h.seedSeconds, 1),
                num(h.p50Ms, 2),
                num(h.p95Ms, 2),
                num(h.p99Ms, 2),
                num(h.maxMs, 1),
                `${num(h.authMeP50Ms, 2)} / ${num(h.authMeP99Ms, 2)}`,
                `${num(h.driverAloneP50Ms, 2)} / ${num(h.driverAloneP99Ms, 2)}`,
              ],
            ],
          ) + serverGcLine(h.serverGc, h.requests)
        : "(not run)"),
  );
  out.push(
    `\n5. Embedded (PGlite) mode\n` + steppedSection("", results.embedded ? [results.embedded] : []).trimStart(),
  );
  out.push(
    `\nTargets\n` +
      table(
        ["", "target", "goal", "measured"],
        results.targets.map((t) => [t.pass === null ? "N/A " : t.pass ? "PASS" : "MISS", t.name, t.goal, t.measured]),
      ),
  );
  if (results.skipped.length) out.push(`\nSkipped:\n${results.skipped.map((s) => `  - ${s}`).join("\n")}`);
  if (results.errors.length) out.push(`\nErrors:\n${results.errors.map((s) => `  - ${s}`).join("\n")}`);
  return `${out.join("\n")}\n`;
}
