import WebSocket from "ws";

/** The flag that opens a server's inspector on a free loopback port; it prints where. */
export const INSPECT_FLAG = "--inspect=127.0.0.1:0";

export const inspectorUrlIn = (output: string): string | null =>
  /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(output)?.[1] ?? null;

/** One inspector command in a session of its own, which ends with the reply. */
async function inspectorCall(
  inspectorUrl: string,
  method: string,
  params: Record<string, unknown>,
  timeoutMs: number,
): Promise<unknown> {
  const socket = new WebSocket(inspectorUrl);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<unknown>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the inspector did not answer ${method} in time`)), timeoutMs);
      socket.once("error", reject);
      socket.once("close", () => reject(new Error(`the inspector closed before answering ${method}`)));
      socket.on("message", (data: Buffer) => {
        const reply = JSON.parse(data.toString("utf8")) as {
          id?: number;
          result?: unknown;
          error?: { message: string };
        };
        if (reply.id !== 1) return;
        if (reply.error) reject(new Error(reply.error.message));
        else resolve(reply.result);
      });
      socket.once("open", () => socket.send(JSON.stringify({ id: 1, method, params })));
    });
  } finally {
    clearTimeout(timer);
    socket.close();
  }
}

/**
 * A full garbage collection that also hands freed memory back to the system, asked of a Node.js
 * process through its inspector: what V8's memory reducer does by itself once a process has been
 * quiet for a while (30–60 s here), done at once so every server is measured in the same state.
 */
export async function collectGarbage(inspectorUrl: string, timeoutMs = 30_000): Promise<void> {
  await inspectorCall(inspectorUrl, "HeapProfiler.collectGarbage", {}, timeoutMs);
}

/** A garbage collection pause in the server: when it began (ms on the machine's monotonic clock), how long, which kind. */
export interface GcPause {
  startMs: number;
  durationMs: number;
  /** Node's `perf_hooks` constants: 1 young (scavenge), 4 major, 8 incremental marking, 16 weak callbacks. */
  kind: number;
}

const GC_LOG = 'Symbol.for("murmur.bench.gc")';

/**
 * Starts recording the server's garbage collection pauses (a `perf_hooks` observer installed
 * through the inspector, so the server carries no code for it). Times are on the monotonic clock
 * every process on the machine shares, so they line up with the load generator's calls.
 */
export async function watchGc(inspectorUrl: string): Promise<void> {
  const install = `(() => {
    const pauses = [];
    const observer = new PerformanceObserver((list) => {
      const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
      for (const e of list.getEntries()) pauses.push([e.startTime + offset, e.duration, e.detail?.kind ?? 0]);
    });
    observer.observe({ entryTypes: ["gc"] });
    globalThis[${GC_LOG}] = { observer, pauses };
    return true;
  })()`;
  await inspectorCall(inspectorUrl, "Runtime.evaluate", { expression: install, returnByValue: true }, 10_000);
}

/** Stops recording and returns the pauses recorded since `watchGc`. */
export async function takeGc(inspectorUrl: string): Promise<GcPause[]> {
  const take = `(() => {
    const log = globalThis[${GC_LOG}];
    if (!log) return [];
    const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
    for (const e of log.observer.takeRecords()) log.pauses.push([e.startTime + offset, e.duration, e.detail?.kind ?? 0]);
    log.observer.disconnect();
    delete globalThis[${GC_LOG}];
    return log.pauses;
  })()`;
  const reply = (await inspectorCall(
    inspectorUrl,
    "Runtime.evaluate",
    { expression: take, returnByValue: true },
    10_000,
  )) as { result?: { value?: unknown } };
  const rows = Array.isArray(reply.result?.value) ? (reply.result.value as unknown[]) : [];
  return rows.flatMap((row) =>
    Array.isArray(row) && row.length === 3 && row.every((n) => typeof n === "number")
      ? [{ startMs: row[0] as number, durationMs: row[1] as number, kind: row[2] as number }]
      : [],
  );
}
