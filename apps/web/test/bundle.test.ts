import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = fileURLToPath(new URL("../dist", import.meta.url));

// Strings that only server-side code carries: the database drivers, ORM, migrations, auth and HTTP adapters.
const SERVER_MARKERS = [
  "pg_advisory_lock",
  "statement-breakpoint",
  "DrizzlePostgreSQLAdapter",
  "TransactionRollbackError",
  "PGlite",
  "argon2",
  "applyWSSHandler",
  "password_hash",
  "node:crypto",
];

describe("the built web bundle", () => {
  it("exists, holds the app, and carries no server code", () => {
    expect(existsSync(join(dist, "index.html")), "run `pnpm build` first").toBe(true);
    const assets = join(dist, "assets");
    const scripts = readdirSync(assets).filter((f) => f.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    const code = scripts.map((f) => readFileSync(join(assets, f), "utf8")).join("\n");
    expect(code).toContain("/trpc");
    for (const marker of SERVER_MARKERS) expect(code, `bundle contains ${marker}`).not.toContain(marker);
  });
});
