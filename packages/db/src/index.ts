import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { preparedByDefault } from "./prepared-statements";
import * as schema from "./schema";

export * from "./schema";
export { schema };

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DbHandle {
  db: Database;
  driver: "pglite" | "postgres";
  /** Connections the driver may open at once (PGlite is a single connection). */
  poolSize: number;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** A PostgreSQL URL; without one the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite's data folder; "memory://" keeps it in memory. */
  dataDir?: string | undefined;
  poolSize?: number | undefined;
}

// Found through the package rather than this file, which a bundled server no longer sits beside.
export const migrationsFolder = join(
  dirname(createRequire(import.meta.url).resolve("@murmur/db/package.json")),
  "migrations",
);

// Several API processes may start together against one database: one lock makes them migrate in turn.
const MIGRATION_LOCK_ID = 0x6d75726d;

export async function createDb(options: CreateDbOptions = {}): Promise<DbHandle> {
  if (options.databaseUrl) return createPostgresDb(options.databaseUrl, options.poolSize ?? 10);
  return createPgliteDb(options.dataDir ?? "./.murmur-data");
}

async function createPgliteDb(dataDir: string): Promise<DbHandle> {
  const client = await PGlite.create(dataDir === "memory://" ? undefined : dataDir);
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder });
  return {
    db,
    driver: "pglite",
    poolSize: 1,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}

async function createPostgresDb(url: string, poolSize: number): Promise<DbHandle> {
  const migrator = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(drizzlePostgres({ client: migrator }), { migrationsFolder });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } finally {
    await migrator.end();
  }
  const client = postgres(url, { max: poolSize, onnotice: () => undefined });
  const db = drizzlePostgres({ client: preparedByDefault(client), schema });
  return {
    db,
    driver: "postgres",
    poolSize,
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}
