/**
 * One load process: holds a share of the clients, sends at the rate it is told, and measures
 * latency at every recipient it holds. Driven entirely by its parent over IPC; exits when told
 * to close or when the parent goes away.
 */
import { connect as connectDatabase } from "../db/admin";
import { Histogram } from "../histogram";
import { connectSocketIo } from "./drivers/socketio";
import { murmurDriver } from "./drivers/murmur";
import { MurmurSocket } from "./drivers/murmur-socket";
import type { Connection, Driver } from "./drivers/types";
import { connectWs } from "./drivers/ws";
import {
  nowMs,
  readStamp,
  stampContent,
  type ConnectRequest,
  type HistoryRequest,
  type PageTime,
  type LoadReply,
  type LoadRequest,
  type PhaseRequest,
} from "./protocol";

const connections: Connection[] = [];
let currentPhase = -1;
let received = 0;
let latencies = new Histogram();
let messageNumber = 0;

function reply(message: LoadReply): void {
  process.send?.(message);
}

function onContent(content: string): void {
  const receivedAt = nowMs();
  const stamp = readStamp(content);
  // Late deliveries of an earlier step are not this step's latency.
  if (!stamp || stamp.phase !== currentPhase) return;
  received++;
  latencies.record(receivedAt - stamp.sentAt);
}

function driverFor(request: ConnectRequest): Driver {
  if (request.target === "murmur") return murmurDriver(request.sendVia);
  if (request.target === "socketio") return connectSocketIo;
  return connectWs;
}

async function connect(request: ConnectRequest): Promise<LoadReply> {
  const driver = driverFor(request);
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const worker = async () => {
    while (next < request.clients.length) {
      const client = request.clients[next++];
      if (!client) break;
      try {
        connections.push(await driver({ url: request.url, client, onContent, timeoutMs: request.timeoutMs }));
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.concurrency) }, worker));
  return { type: "connected", open: connections.length, failed, firstError };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runPhase(request: PhaseRequest): Promise<LoadReply> {
  currentPhase = request.phase;
  received = 0;
  latencies = new Histogram();
  const senders = connections.filter((_, i) => i % request.sendEvery === 0);
  const rate = request.ratePerClient * senders.length;
  let offered = 0;
  let sent = 0;
  let acked = 0;
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  let cursor = 0;
  let firstError: string | null = null;
  const openAtStart = connections.filter((c) => c.open).length;
  const cpuStart = process.cpuUsage();
  const started = performance.now();

  const fire = (connection: Connection) => {
    inFlight++;
    sent++;
    connection
      .send(stampContent(request.phase, messageNumber++))
      .then(() => acked++)
      .catch((error: unknown) => {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      })
      .finally(() => inFlight--);
  };

  // Open-loop pacing: what is due by now is sent now, whatever the server's answers are doing.
  const catchUp = (elapsedMs: number) => {
    const due = Math.floor((rate * Math.min(elapsedMs, request.durationMs)) / 1000) - offered;
    for (let i = 0; i < due; i++) {
      offered++;
      const connection = senders[cursor++ % senders.length];
      if (!connection?.open || inFlight >= request.maxInFlight) skipped++;
      else fire(connection);
    }
  };
  while (senders.length > 0 && performance.now() - started < request.durationMs) {
    catchUp(performance.now() - started);
    await sleep(5);
  }
  // The last tick may land just short of the end: the step offers exactly rate × duration.
  if (senders.length > 0) catchUp(request.durationMs);
  const elapsed = performance.now() - started;

  // Wait for answers and deliveries to settle, bounded by the drain time.
  const drainUntil = performance.now() + request.drainMs;
  let lastReceived = -1;
  while (performance.now() < drainUntil) {
    if (inFlight === 0 && received === lastReceived) break;
    lastReceived = received;
    await sleep(250);
  }
  const cpu = process.cpuUsage(cpuStart);
  currentPhase = -1;
  return {
    type: "phaseResult",
    phase: request.phase,
    offered,
    sent,
    acked,
    failed,
    skipped,
    received,
    dropped: openAtStart - connections.filter((c) => c.open).length,
    histogram: latencies.toSparse(),
    cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsed) * 100,
    firstError,
  };
}

/** Queries on Murmur's wire protocol: tRPC frames on the socket, or httpBatchLink's GETs. */
function queryClient(request: HistoryRequest): {
  query(path: string, input: unknown): Promise<unknown>;
  close(): void;
} {
  if (request.via === "http") {
    return {
      async query(path, input) {
        const encoded = encodeURIComponent(JSON.stringify({ 0: { json: input } }));
        const response = await fetch(`${request.url}/trpc/${path}?batch=1&input=${encoded}`, {
          headers: { authorization: `Bearer ${request.token}` },
        });
        const body = await response.text();
        if (!response.ok) throw new Error(`${path} failed: HTTP ${response.status} ${body.slice(0, 200)}`);
        return body;
      },
      close: () => undefined,
    };
  }
  const socket = new MurmurSocket(request.url, request.token);
  return {
    async query(path, input) {
      await socket.opened;
      return socket.call("query", path, input);
    },
    close: () => socket.close(),
  };
}

/** History reads skip this many pages before measuring, so a fresh process's first compilations are not counted. */
const HISTORY_WARMUP = 50;

/** The i-th page read: the newest page and pages at random depths in turn, so both ends of the index are read. */
function pageCursor(i: number, request: HistoryRequest): number | null {
  if (i % 2 === 0) return null;
  return 1 + request.limit + Math.floor(Math.random() * Math.max(1, request.newestSeq - request.limit));
}

/**
 * Pages through history one request at a time, as a scrolling user would. After each page the
 * same connection reads `auth.me` (one row by primary key, through the same stack), so the run
 * also shows what the cheapest read costs on this machine at that moment.
 */
async function runHistory(request: HistoryRequest): Promise<LoadReply> {
  const client = queryClient(request);
  const authMe = new Histogram();
  let failed = 0;
  let firstError: string | null = null;
  /** When the call began and how long it took, or why it failed. */
  const timed = async (path: string, input: unknown): Promise<PageTime | Error> => {
    const startedMs = nowMs();
    try {
      await client.query(path, input);
      return { startedMs, ms: nowMs() - startedMs };
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };
  const pageTimes: PageTime[] = [];
  const warmup = Math.min(HISTORY_WARMUP, request.requests);
  for (let i = 0; i < warmup + request.requests; i++) {
    const cursor = pageCursor(i, request);
    const page = await timed("messages.history", {
      roomId: request.roomId,
      cursor: cursor === null ? null : String(cursor),
      limit: request.limit,
    });
    if (page instanceof Error) {
      failed++;
      firstError ??= page.message;
    } else if (i >= warmup) {
      pageTimes.push(page);
    }
    // A failed auth.me only leaves its column short: the pages are what is measured.
    const me = await timed("auth.me", null);
    if (!(me instanceof Error) && i >= warmup) authMe.record(me.ms);
  }
  client.close();
  let driverAloneError: string | null = null;
  const driverAlone = await readPagesDirectly(request, warmup).catch((error: unknown) => {
    driverAloneError = error instanceof Error ? error.message : String(error);
    return new Histogram();
  });
  return {
    type: "historyResult",
    failed,
    authMe: authMe.toSparse(),
    pageTimes,
    driverAlone: driverAlone.toSparse(),
    driverAloneError,
    firstError,
  };
}

/**
 * Pages of the same kind (the reader's membership checked, the rows and their senders' names,
 * newest first, the same mix of cursors) read straight from PostgreSQL with postgres.js, one at a
 * time, in this process after Murmur's: no server, socket or RPC in between. What is left is the
 * database, the driver and this machine.
 */
async function readPagesDirectly(request: HistoryRequest, warmup: number): Promise<Histogram> {
  const histogram = new Histogram();
  const sql = connectDatabase(request.databaseUrl, 1);
  try {
    for (let i = 0; i < warmup + request.requests; i++) {
      const before = pageCursor(i, request) ?? Number.MAX_SAFE_INTEGER;
      const started = nowMs();
      await sql`
        SELECT m.id, m.seq, m.sender_id, s.username, m.content, m.message_type, m.client_message_id, m.created_at
        FROM messages m LEFT JOIN users s ON s.id = m.sender_id
        WHERE m.room_id = ${request.roomId} AND m.seq < ${before}
          AND EXISTS (SELECT 1 FROM room_members WHERE room_id = ${request.roomId} AND user_id = ${request.readerId})
        ORDER BY m.seq DESC
        LIMIT ${request.limit + 1}`;
      if (i >= warmup) histogram.record(nowMs() - started);
    }
  } finally {
    await sql.end();
  }
  return histogram;
}

async function handle(request: LoadRequest): Promise<void> {
  try {
    if (request.type === "connect") reply(await connect(request));
    else if (request.type === "phase") reply(await runPhase(request));
    else if (request.type === "history") reply(await runHistory(request));
    else {
      for (const connection of connections) connection.close();
      connections.length = 0;
      reply({ type: "closed" });
      if (request.type === "reset") return;
      process.disconnect?.();
      setTimeout(() => process.exit(0), 100).unref();
    }
  } catch (error) {
    reply({ type: "failure", error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}

process.on("message", (request: LoadRequest) => void handle(request));
// The parent is gone (crashed or killed): nothing left to report to.
process.on("disconnect", () => process.exit(0));
