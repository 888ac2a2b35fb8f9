import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { cpuPercent, processTree, sampleTree, type ProcSample } from "../proc-stats";
import { collectGarbage, INSPECT_FLAG, inspectorUrlIn, takeGc, watchGc, type GcPause } from "./inspector";

/** Many connections need many descriptors; root may raise the hard limit, anyone may raise the soft one. */
const RAISE_FD_LIMIT = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"';

export function withRaisedFdLimit(command: string, args: string[]): { command: string; args: string[] } {
  return { command: "bash", args: ["-c", RAISE_FD_LIMIT, command, ...args] };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  name: string;
  url: string;
  port: number;
  pid: number;
  /** CPU and RSS of the server and any workers it forked. */
  sample(): ProcSample;
  cpuSince(from: ProcSample): { cpuPercent: number; rssKiB: number };
  /** A full collection through the inspector, when the server was started with one; false otherwise. */
  collectGarbage(): Promise<boolean>;
  /** Starts recording garbage collection pauses, when started with an inspector; false otherwise. */
  watchGc(): Promise<boolean>;
  /** The pauses since `watchGc`, or null without an inspector. */
  takeGc(): Promise<GcPause[] | null>;
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  cwd: string;
  args: string[];
  env: Record<string, string>;
  /** The path that answers 200 once the server is ready. */
  healthPath: string;
  startTimeoutMs?: number;
  /** Opens the inspector on loopback, for collectGarbage and watchGc (one process only: forked workers get none). */
  inspect?: boolean;
}

/** Starts a server as its own process (through bash, for the fd limit) and waits until it answers. */
export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const launch = withRaisedFdLimit(process.execPath, options.inspect ? [INSPECT_FLAG, ...options.args] : options.args);
  const child: ChildProcess = spawn(launch.command, launch.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, HOST: "127.0.0.1", PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let inspectorUrl: string | null = null;
  const keep = (chunk: Buffer) => {
    // Only the tail matters for a failure report; a chatty server must not grow this without bound.
    output = (output + chunk.toString()).slice(-20_000);
    if (options.inspect) inspectorUrl ??= inspectorUrlIn(output);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited early:\n${output}`);
    try {
      if ((await fetch(`${url}${options.healthPath}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${options.name} did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name} has no pid`);
  const sample = () => sampleTree(processTree(pid));
  if (options.inspect && !inspectorUrl) {
    child.kill("SIGKILL");
    throw new Error(`${options.name} opened no inspector:\n${output}`);
  }
  return {
    name: options.name,
    url,
    port,
    pid,
    sample,
    cpuSince(from) {
      const now = sample();
      return { cpuPercent: cpuPercent(from, now), rssKiB: now.rssKiB };
    },
    async collectGarbage() {
      if (inspectorUrl === null) return false;
      await collectGarbage(inspectorUrl);
      return true;
    },
    async watchGc() {
      if (inspectorUrl === null) return false;
      await watchGc(inspectorUrl);
      return true;
    },
    takeGc: () => (inspectorUrl === null ? Promise.resolve(null) : takeGc(inspectorUrl)),
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
