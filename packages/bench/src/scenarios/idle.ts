import type { LoadPool } from "../load/pool";
import type { ClientSpec, TargetKind } from "../load/protocol";
import { cpuPercent } from "../proc-stats";
import type { IdleLevel, IdleResult } from "../results";
import type { ServerProcess } from "../servers/process";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface IdleOptions {
  target: TargetKind;
  pool: LoadPool;
  server: ServerProcess;
  /** At least as many clients as the largest level; each holds one room subscription. */
  clients: ClientSpec[];
  levels: number[];
  settleMs: number;
  sendVia: "http" | "ws";
}

/** RSS once a full collection has handed back what it freed; null when that could not be asked. */
async function rssAfterGcKiB(server: ServerProcess): Promise<number | null> {
  try {
    if (!(await server.collectGarbage())) return null;
  } catch {
    return null;
  }
  // Freed pages leave the resident set as the collector's sweeper threads finish.
  await sleep(500);
  return server.sample().rssKiB;
}

/**
 * Connections added level by level. Memory is read once the server has settled after each (RSS
 * then still counts the garbage of the burst of connects), and again after a full collection.
 * Every level starts from a collected heap, and so does the baseline of both series, so neither
 * series is measured against a state the other has changed.
 */
export async function runIdle(options: IdleOptions): Promise<IdleResult> {
  const { pool, server } = options;
  await sleep(options.settleMs);
  const baselineAfterGc = await rssAfterGcKiB(server);
  await sleep(options.settleMs);
  const baseline = server.sample();
  const levels: IdleLevel[] = [];
  let connected = 0;
  let failed = 0;
  let previous: { rssKiB: number; afterGcKiB: number | null; open: number } | null = null;
  for (const level of [...options.levels].sort((a, b) => a - b)) {
    const batch = options.clients.slice(connected, level);
    const outcome = await pool.connect(options.target, server.url, batch, {
      sendVia: options.sendVia,
      timeoutMs: 60_000 + batch.length * 20,
    });
    if (outcome.open === 0 && batch.length > 0) throw new Error(`no connection opened: ${outcome.firstError}`);
    failed += outcome.failed;
    connected = level;
    await sleep(options.settleMs);
    const from = server.sample();
    await sleep(options.settleMs);
    const to = server.sample();
    const afterGc = await rssAfterGcKiB(server);
    const deltaKiB = to.rssKiB - baseline.rssKiB;
    const open = level - failed;
    const added = previous ? open - previous.open : 0;
    // Between two collected states when there are two; the settled readings are not (see above).
    const marginal =
      previous && added > 0
        ? afterGc !== null && previous.afterGcKiB !== null
          ? (afterGc - previous.afterGcKiB) / added
          : (to.rssKiB - previous.rssKiB) / added
        : null;
    levels.push({
      connections: open,
      failed,
      serverRssMiB: to.rssKiB / 1024,
      rssDeltaMiB: deltaKiB / 1024,
      kibPerConnection: open > 0 ? deltaKiB / open : 0,
      marginalKibPerConnection: marginal,
      idleCpuPercent: cpuPercent(from, to),
      serverRssAfterGcMiB: afterGc === null ? null : afterGc / 1024,
      kibPerConnectionAfterGc:
        afterGc === null || baselineAfterGc === null || open <= 0 ? null : (afterGc - baselineAfterGc) / open,
    });
    previous = { rssKiB: to.rssKiB, afterGcKiB: afterGc, open };
  }
  return {
    target: options.target,
    baselineRssMiB: baseline.rssKiB / 1024,
    baselineRssAfterGcMiB: baselineAfterGc === null ? null : baselineAfterGc / 1024,
    levels,
  };
}
