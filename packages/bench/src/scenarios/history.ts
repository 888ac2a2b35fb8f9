import type { Sql } from "../db/admin";
import { seedHistory, seedRooms, type SeededUser } from "../db/murmur-fixtures";
import type { LoadPool } from "../load/pool";
import type { HistoryResult } from "../results";
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

/** A room with a long past, read page by page through the typed client. */
export async function runHistory(options: HistoryOptions): Promise<HistoryResult> {
  const [client] = await seedRooms(options.sql, [options.reader], 1);
  if (!client) throw new Error("no history room");
  const seedStarted = performance.now();
  await seedHistory(options.sql, client.roomId, client.id, options.messages);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const outcome = await options.pool.history({
    via: options.via,
    url: options.server.url,
    token: client.token,
    roomId: client.roomId,
    newestSeq: options.messages,
    requests: options.requests,
    limit: options.limit,
    databaseUrl: options.databaseUrl,
    readerId: client.id,
  });
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
  };
}
