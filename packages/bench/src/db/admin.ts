import { randomBytes } from "node:crypto";
import postgres from "postgres";

export type Sql = postgres.Sql;

export const connect = (url: string, max = 4): Sql => postgres(url, { max, onnotice: () => undefined });

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database per run (and per server under test), so runs never see each other's rows. */
export async function createScratchDatabase(adminUrl: string, label: string): Promise<ScratchDatabase> {
  const name = `murmur_bench_${label}_${randomBytes(4).toString("hex")}`;
  const admin = connect(adminUrl, 1);
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return {
    name,
    url: databaseUrl(adminUrl, name),
    async drop() {
      const sql = connect(adminUrl, 1);
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}
