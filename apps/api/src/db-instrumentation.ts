import type { Database } from "@murmur/db";
import { metrics } from "./metrics";

const instrumented = new WeakSet<Database>();

/** Times every transaction and counts those holding a pool connection, without touching call sites. */
export function instrumentTransactions(db: Database): void {
  if (instrumented.has(db)) return;
  instrumented.add(db);
  const original = db.transaction.bind(db);
  const timed: typeof original = async (run, config) => {
    metrics.dbInFlight.inc();
    const end = metrics.dbTransaction.startTimer();
    try {
      return await original(run, config);
    } finally {
      end();
      metrics.dbInFlight.dec();
    }
  };
  db.transaction = timed;
}
