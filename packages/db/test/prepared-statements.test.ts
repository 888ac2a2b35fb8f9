import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "../src/index";

const postgresUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

// postgres.js hands back the rows as an array; the Database type covers PGlite's result shape too.
const rowsOf = <T>(result: unknown) => result as T[];

describe.skipIf(!postgresUrl)("queries on PostgreSQL", () => {
  const name = `murmur_db_test_${randomBytes(4).toString("hex")}`;
  const admin = postgres(postgresUrl ?? "", { max: 1, onnotice: () => undefined });
  let handle: DbHandle;

  beforeAll(async () => {
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(postgresUrl ?? "");
    url.pathname = `/${name}`;
    // One connection, so every query below sees the statements its predecessors prepared.
    handle = await createDb({ databaseUrl: url.toString(), poolSize: 1 });
  });

  afterAll(async () => {
    await handle.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  const prepared = async (marker: string) => {
    const result = await handle.db.execute(
      sql`SELECT statement FROM pg_prepared_statements WHERE statement LIKE ${`%${marker}%`} AND statement NOT LIKE '%pg_prepared_statements%'`,
    );
    return rowsOf<{ statement: string }>(result).map((row) => row.statement);
  };

  it("runs a repeated query as one prepared statement, not a new plan each time", async () => {
    for (const n of [1, 2, 3]) {
      const result = await handle.db.execute(sql`SELECT ${n}::int + 1 AS answer /* repeated */`);
      expect(rowsOf<{ answer: number }>(result)[0]?.answer).toBe(n + 1);
    }
    expect(await prepared("repeated")).toHaveLength(1);
  });

  it("sends a query whose length grows with a list unprepared, so lists cannot fill the statement cache", async () => {
    for (const size of [17, 18]) {
      const values = Array.from({ length: size }, (_, i) => sql`${i}::int`);
      await handle.db.execute(sql`SELECT ${sql.join(values, sql`, `)} /* long list */`);
    }
    expect(await prepared("long list")).toEqual([]);
  });

  it("prepares queries inside transactions and savepoints too, and still rolls back", async () => {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT ${1}::int AS one /* in a transaction */`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`SELECT ${2}::int AS two /* in a savepoint */`);
          throw new Error("roll the savepoint back");
        })
        .catch(() => undefined);
    });
    expect(await prepared("in a transaction")).toHaveLength(1);
    expect(await prepared("in a savepoint")).toHaveLength(1);
  });
});
