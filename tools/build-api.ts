import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The process tests and the bench smoke test spawn the built server, as production runs it: build
 * it before any test, so a bare `vitest run` never tests a stale bundle.
 */
export default function setup(): void {
  execFileSync(process.execPath, ["--import", "tsx", "build.ts"], {
    cwd: fileURLToPath(new URL("../apps/api", import.meta.url)),
    stdio: "inherit",
  });
}
