import { spawn, type ChildProcess } from "node:child_process";
import { Histogram } from "../histogram";
import { benchDir } from "../paths";
import { withRaisedFdLimit } from "../servers/process";
import type {
  ClientSpec,
  ConnectReply,
  HistoryReply,
  HistoryRequest,
  PageTime,
  LoadReply,
  LoadRequest,
  PhaseReply,
  PhaseRequest,
  TargetKind,
} from "./protocol";

const WORKER_ENTRY = "src/load/worker.ts";

interface LoadProcess {
  child: ChildProcess;
  stderr: () => string;
  waiting: ((reply: LoadReply) => void) | null;
}

export interface PhaseTotals {
  offered: number;
  sent: number;
  acked: number;
  failed: number;
  skipped: number;
  received: number;
  dropped: number;
  latency: Histogram;
  generatorCpuPercent: number;
  firstError: string | null;
}

/**
 * The load processes: separate Node processes, so the generator's event loops are neither the
 * benchmark's nor each other's. Each request waits for its reply, bounded by a timeout.
 */
export class LoadPool {
  private constructor(private readonly processes: LoadProcess[]) {}

  static start(count: number): LoadPool {
    const processes = Array.from({ length: count }, () => {
      const launch = withRaisedFdLimit(process.execPath, ["--import", "tsx", WORKER_ENTRY]);
      const child = spawn(launch.command, launch.args, {
        cwd: benchDir,
        stdio: ["ignore", "ignore", "pipe", "ipc"],
        env: { ...process.env, NODE_ENV: "production" },
      });
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-10_000)));
      const entry: LoadProcess = { child, stderr: () => stderr, waiting: null };
      child.on("message", (reply: LoadReply) => {
        const waiting = entry.waiting;
        entry.waiting = null;
        waiting?.(reply);
      });
      child.on("exit", (code) => {
        const waiting = entry.waiting;
        entry.waiting = null;
        waiting?.({ type: "failure", error: `load process exited (${code}):\n${entry.stderr()}` });
      });
      return entry;
    });
    return new LoadPool(processes);
  }

  get size(): number {
    return this.processes.length;
  }

  private request(index: number, message: LoadRequest, timeoutMs: number): Promise<LoadReply> {
    const target = this.processes[index];
    if (!target) return Promise.reject(new Error(`no load process ${index}`));
    return new Promise<LoadReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        target.waiting = null;
        reject(new Error(`load process ${index} did not answer ${message.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      target.waiting = (reply) => {
        clearTimeout(timer);
        if (reply.type === "failure") reject(new Error(reply.error));
        else resolve(reply);
      };
      target.child.send(message);
    });
  }

  /** Opens the clients, dealt round-robin so every room has members in every load process. */
  async connect(
    target: TargetKind,
    url: string,
    clients: ClientSpec[],
    options: { sendVia: "http" | "ws"; timeoutMs: number },
  ): Promise<{ open: number; failed: number; firstError: string | null }> {
    const shares = this.processes.map((_, p) => clients.filter((_, i) => i % this.processes.length === p));
    const replies = await Promise.all(
      shares.map(
        (share, p) =>
          this.request(
            p,
            {
              type: "connect",
              target,
              url,
              clients: share,
              sendVia: options.sendVia,
              concurrency: 64,
              timeoutMs: 15_000,
            },
            options.timeoutMs,
          ) as Promise<ConnectReply>,
      ),
    );
    return {
      open: replies.reduce((n, r) => n + r.open, 0),
      failed: replies.reduce((n, r) => n + r.failed, 0),
      firstError: replies.find((r) => r.firstError)?.firstError ?? null,
    };
  }

  async phase(request: Omit<PhaseRequest, "type">): Promise<PhaseTotals> {
    const replies = (await Promise.all(
      this.processes.map((_, p) =>
        this.request(p, { type: "phase", ...request }, request.durationMs + request.drainMs + 30_000),
      ),
    )) as PhaseReply[];
    const latency = Histogram.fromSparse(...replies.map((reply) => reply.histogram));
    const sum = (key: "offered" | "sent" | "acked" | "failed" | "skipped" | "received" | "dropped") =>
      replies.reduce((n, r) => n + r[key], 0);
    return {
      offered: sum("offered"),
      sent: sum("sent"),
      acked: sum("acked"),
      failed: sum("failed"),
      skipped: sum("skipped"),
      received: sum("received"),
      dropped: sum("dropped"),
      latency,
      generatorCpuPercent: replies.reduce((n, r) => n + r.cpuPercent, 0),
      firstError: replies.find((r) => r.firstError)?.firstError ?? null,
    };
  }

  async history(request: Omit<HistoryRequest, "type">): Promise<{
    ok: number;
    failed: number;
    latency: Histogram;
    authMe: Histogram;
    pageTimes: PageTime[];
    driverAlone: Histogram;
    driverAloneError: string | null;
  }> {
    // Two minutes, or 40 ms for each page, auth.me and direct read, whichever is longer.
    const timeoutMs = Math.max(120_000, request.requests * 40);
    const reply = (await this.request(0, { type: "history", ...request }, timeoutMs)) as HistoryReply;
    if (reply.pageTimes.length === 0 && reply.firstError) throw new Error(`history failed: ${reply.firstError}`);
    const latency = new Histogram();
    for (const page of reply.pageTimes) latency.record(page.ms);
    return {
      ok: reply.pageTimes.length,
      failed: reply.failed,
      latency,
      authMe: Histogram.fromSparse(reply.authMe),
      pageTimes: reply.pageTimes,
      driverAlone: Histogram.fromSparse(reply.driverAlone),
      driverAloneError: reply.driverAloneError,
    };
  }

  /** Closes every client; the processes stay for the next scenario. */
  async reset(settleMs: number): Promise<void> {
    await Promise.all(this.processes.map((_, p) => this.request(p, { type: "reset" }, 30_000)));
    // Let the server notice the closes before anyone samples its memory or CPU again.
    await new Promise((resolve) => setTimeout(resolve, settleMs));
  }

  /** Closes every connection and ends the processes; kills any that do not go within the timeout. */
  async close(): Promise<void> {
    await Promise.all(
      this.processes.map(async (entry, p) => {
        if (entry.child.exitCode === null && entry.child.connected) {
          await this.request(p, { type: "close" }, 10_000).catch(() => undefined);
        }
        const exited = new Promise<void>((resolve) => {
          if (entry.child.exitCode !== null || entry.child.signalCode !== null) resolve();
          else entry.child.once("exit", () => resolve());
        });
        const killer = setTimeout(() => entry.child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(killer);
      }),
    );
  }
}
