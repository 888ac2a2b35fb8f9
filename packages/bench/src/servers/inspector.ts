import WebSocket from "ws";

/** The flag that opens a server's inspector on a free loopback port; it prints where. */
export const INSPECT_FLAG = "--inspect=127.0.0.1:0";

export const inspectorUrlIn = (output: string): string | null =>
  /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(output)?.[1] ?? null;

type InspectorReply = {
  id?: number;
  result?: { result?: { value?: unknown }; exceptionDetails?: { text?: string; exception?: { description?: string } } };
  error?: { message: string };
};

/** One inspector command in a session of its own, which ends with the reply; a script that throws rejects. */
async function inspectorCall(
  inspectorUrl: string,
  method: string,
  params: Record<string, unknown>,
  timeoutMs: number,
): Promise<InspectorReply["result"]> {
  const socket = new WebSocket(inspectorUrl);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the inspector did not answer ${method} in time`)), timeoutMs);
      socket.once("error", reject);
      socket.once("close", () => reject(new Error(`the inspector closed before answering ${method}`)));
      socket.on("message", (data: Buffer) => {
        const reply = JSON.parse(data.toString("utf8")) as InspectorReply;
        if (reply.id !== 1) return;
        const thrown = reply.result?.exceptionDetails;
        if (reply.error) reject(new Error(reply.error.message));
        else if (thrown) reject(new Error(`${method} threw: ${thrown.exception?.description ?? thrown.text ?? ""}`));
        else resolve(reply.result);
      });
      socket.once("open", () => socket.send(JSON.stringify({ id: 1, method, params })));
    });
  } finally {
    clearTimeout(timer);
    socket.close();
  }
}

/** The value a script run in the server returned (awaited, if it returns a promise). */
async function evaluate(inspectorUrl: string, expression: string): Promise<unknown> {
  const result = await inspectorCall(
    inspectorUrl,
    "Runtime.evaluate",
    { expression, returnByValue: true, awaitPromise: true },
    10_000,
  );
  return result?.result?.value;
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

/** Where the server keeps its pauses meanwhile, as source text for the scripts below. */
const GC_LOG_KEY = 'Symbol.for("murmur.bench.gc")';

/** Source text: the entries an observer holds, moved to the log on the monotonic clock. */
const KEEP_ENTRIES = `(log, entries) => {
  const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  for (const e of entries) log.pauses.push([e.startTime + offset, e.duration, e.detail?.kind ?? 0]);
}`;

/**
 * Starts recording the server's garbage collection pauses (a `perf_hooks` observer installed
 * through the inspector, so the server carries no code for it). Times are on the monotonic clock
 * every process on the machine shares, so they line up with the load generator's calls.
 */
export async function watchGc(inspectorUrl: string): Promise<void> {
  const started = await evaluate(
    inspectorUrl,
    `(() => {
      globalThis[${GC_LOG_KEY}]?.observer.disconnect();
      const log = { pauses: [], keep: ${KEEP_ENTRIES} };
      log.observer = new PerformanceObserver((list) => log.keep(log, list.getEntries()));
      log.observer.observe({ entryTypes: ["gc"] });
      globalThis[${GC_LOG_KEY}] = log;
      return true;
    })()`,
  );
  if (started !== true) throw new Error("the server did not start recording its GC pauses");
}

/** Stops recording and returns the pauses recorded since `watchGc`. */
export async function takeGc(inspectorUrl: string): Promise<GcPause[]> {
  const rows = await evaluate(
    inspectorUrl,
    // Node records a collection's entry in a later turn of the event loop: take them after one.
    `new Promise((resolve) => setTimeout(resolve, 20)).then(() => {
      const log = globalThis[${GC_LOG_KEY}];
      if (!log) return null;
      log.keep(log, log.observer.takeRecords());
      log.observer.disconnect();
      delete globalThis[${GC_LOG_KEY}];
      return log.pauses;
    })`,
  );
  if (!Array.isArray(rows)) throw new Error("the server was not recording its GC pauses");
  return rows.flatMap((row: unknown) =>
    Array.isArray(row) && row.length === 3 && row.every((n) => typeof n === "number")
      ? [{ startMs: row[0] as number, durationMs: row[1] as number, kind: row[2] as number }]
      : [],
  );
}
