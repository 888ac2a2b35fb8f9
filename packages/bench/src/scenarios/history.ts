import { constants } from "node:perf_hooks";
import type { Sql } from "../db/admin";
import { seedHistory, seedRooms, type SeededUser } from "../db/murmur-fixtures";
import { Histogram } from "../histogram";
import type { LoadPool } from "../load/pool";
import type { PageTime } from "../load/protocol";
import type { HistoryGc, HistoryResult } from "../results";
import type { GcPause } from "../servers/inspector";
import type { ServerProcess } from "../servers/process";

export interface HistoryOptions {
  pool: LoadPool;
  server: ServerProcess;
  sql: Sql;
  reader: SeededUser;
  messages: number;
  requests: number;
  limit: number;
  via: "http" | "ws";
  /** Murmur's database, for the driver-alone reads. */
  databaseUrl: string;
}

/**
 * Lines the server's collection pauses up with the pages (both on the machine's monotonic clock):
 * how many pages a pause fell in, and what their p99 would be without those pauses.
 */
export function historyGc(pages: PageTime[], pauses: GcPause[]): HistoryGc {
  const firstStart = pages[0]?.startedMs ?? 0;
  const last = pages.at(-1);
  const lastEnd = last ? last.startedMs + last.ms : 0;
  const during = pauses.filter((p) => p.startMs + p.durationMs > firstStart && p.startMs < lastEnd);
  const young = during.filter((p) => p.kind === constants.NODE_PERFORMANCE_GC_MINOR).map((p) => p.durationMs);
  const withoutGc = new Histogram();
  let pagesPaused = 0;
  for (const page of pages) {
    const end = page.startedMs + page.ms;
    let paused = 0;
    for (const p of during)
      paused += Math.max(0, Math.min(end, p.startMs + p.durationMs) - Math.max(page.startedMs, p.startMs));
    if (paused > 0) pagesPaused++;
    withoutGc.record(page.ms - paused);
  }
  return {
    youngCollections: young.length,
    youngMeanMs: young.length > 0 ? young.reduce((a, b) => a + b, 0) / young.length : null,
    youngMaxMs: young.length > 0 ? Math.max(...young) : null,
    otherCollections: during.length - young.length,
    pagesPaused,
    p99WithoutGcMs: withoutGc.percentile(99),
  };
}

type PagesRead = Awaited<ReturnType<LoadPool["history"]>>;

/** The pages, with the server's GC pauses meanwhile when its inspector gives them; the pages stand either way. */
async function readPagesWatchingGc(
  server: ServerProcess,
  read: () => Promise<PagesRead>,
): Promise<{ outcome: PagesRead; pauses: GcPause[] | null; gcError: string | null }> {
  let gcError: string | null = null;
  const failed = (error: unknown): null => {
    gcError ??= error instanceof Error ? error.message : String(error);
    return null;
  };
  const watching = (await server.watchGc().catch(failed)) === true;
  const stopWatching = async () => (watching ? await server.takeGc().catch(failed) : null);
  let outcome: PagesRead;
  try {
    outcome = await read();
  } catch (error) {
    await stopWatching();
    throw error;
  }
  const pauses = await stopWatching();
  return { outcome, pauses, gcError };
}

/** A room with a long past, read page by page through the typed client. */
export async function runHistory(options: HistoryOptions): Promise<HistoryResult> {
  const [client] = await seedRooms(options.sql, [options.reader], 1);
  if (!client) throw new Error("no history room");
  const seedStarted = performance.now();
  await seedHistory(options.sql, client.roomId, client.id, options.messages);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const { outcome, pauses, gcError } = await readPagesWatchingGc(options.server, () =>
    options.pool.history({
      via: options.via,
      url: options.server.url,
      token: client.token,
      roomId: client.roomId,
      newestSeq: options.messages,
      requests: options.requests,
      limit: options.limit,
      databaseUrl: options.databaseUrl,
      readerId: client.id,
    }),
  );
  return {
    via: options.via,
    messages: options.messages,
    requests: outcome.ok,
    failed: outcome.failed,
    seedSeconds,
    p50Ms: outcome.latency.percentile(50),
    p95Ms: outcome.latency.percentile(95),
    p99Ms: outcome.latency.percentile(99),
    maxMs: outcome.latency.count > 0 ? outcome.latency.max : null,
    authMeP50Ms: outcome.authMe.percentile(50),
    authMeP99Ms: outcome.authMe.percentile(99),
    driverAloneP50Ms: outcome.driverAlone.percentile(50),
    driverAloneP99Ms: outcome.driverAlone.percentile(99),
    driverAloneError: outcome.driverAloneError,
    serverGc: pauses ? historyGc(outcome.pageTimes, pauses) : null,
    serverGcError: gcError,
  };
}
