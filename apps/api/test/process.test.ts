import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createMurmurClient } from "@murmur/client";
import { describe, expect, it } from "vitest";
import { freePort } from "./helpers/processes";

const apiDir = fileURLToPath(new URL("..", import.meta.url));

function startMurmur(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ["--enable-source-maps", "dist/main.js"], {
    cwd: apiDir,
    env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForHealth(url: string, output: () => string) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not start:\n${output()}`);
}

describe("the murmur process", () => {
  it("starts on the embedded database in a data folder, keeps data across a SIGTERM restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "murmur-data-"));
    const port = String(await freePort());
    const url = `http://127.0.0.1:${port}`;
    const env = { MURMUR_DATA_DIR: dataDir, PORT: port, HOST: "127.0.0.1" };

    const first = startMurmur(env);
    await waitForHealth(url, first.output);
    const anon = createMurmurClient({ url });
    await anon.api.auth.register.mutate({ username: "persisted", email: "p@example.test", password: "long enough pw" });
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("stopped");

    const second = startMurmur(env);
    try {
      await waitForHealth(url, second.output);
      const login = await anon.api.auth.login.mutate({ username: "persisted", password: "long enough pw" });
      expect(login.user.username).toBe("persisted");
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
      await anon.close();
    }
  });

  it("refuses to start with a bad environment value and names the variable", async () => {
    const bad = startMurmur({ PORT: "not-a-port", MURMUR_DATA_DIR: mkdtempSync(join(tmpdir(), "murmur-data-")) });
    expect(await bad.exited).not.toBe(0);
    expect(bad.output()).toContain("PORT");
  });
});
