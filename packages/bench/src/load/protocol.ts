import type { SparseHistogram } from "../histogram";

/** Messages between the benchmark and its load processes (over the child-process IPC channel). */

export type TargetKind = "murmur" | "socketio" | "ws";

export interface ClientSpec {
  roomId: string;
  /** Murmur's session token; the baselines have no auth. */
  token?: string;
}

export interface ConnectRequest {
  type: "connect";
  target: TargetKind;
  url: string;
  /** Murmur only: mutations over HTTP like @murmur/client, or as tRPC WebSocket frames like the web app. */
  sendVia: "http" | "ws";
  clients: ClientSpec[];
  concurrency: number;
  timeoutMs: number;
}

export interface PhaseRequest {
  type: "phase";
  phase: number;
  /** Messages per second each sending client of this process sends. */
  ratePerClient: number;
  /** Only every n-th client of this process sends (1 = all of them). */
  sendEvery: number;
  durationMs: number;
  drainMs: number;
  /** Sends beyond this many unanswered are skipped and counted, so a saturated server cannot pile up unbounded work. */
  maxInFlight: number;
}

export interface HistoryRequest {
  type: "history";
  /** Over HTTP, or as tRPC frames on the WebSocket (as the web app reads history). */
  via: "http" | "ws";
  url: string;
  token: string;
  roomId: string;
  newestSeq: number;
  requests: number;
  limit: number;
  /**
   * Murmur's database and the reader's user id: after Murmur's pages, pages of the same kind are
   * read from it with postgres.js alone, no server in between, to show what any Node.js client of
   * the database gets here.
   */
  databaseUrl: string;
  readerId: string;
}

/** "reset" closes this process's connections and keeps it for the next scenario; "close" also exits. */
export interface CloseRequest {
  type: "close" | "reset";
}

export type LoadRequest = ConnectRequest | PhaseRequest | HistoryRequest | CloseRequest;

export interface ConnectReply {
  type: "connected";
  open: number;
  failed: number;
  firstError: string | null;
}

export interface PhaseReply {
  type: "phaseResult";
  phase: number;
  offered: number;
  sent: number;
  acked: number;
  failed: number;
  skipped: number;
  received: number;
  /** Connections that closed during the phase (a server cutting off slow subscribers, say). */
  dropped: number;
  histogram: SparseHistogram;
  cpuPercent: number;
  firstError: string | null;
}

export interface PageTime {
  startedMs: number;
  ms: number;
}

export interface HistoryReply {
  type: "historyResult";
  failed: number;
  /** `auth.me`, read after each page on the same connection: one row by primary key through the same stack. */
  authMe: SparseHistogram;
  /** Each measured page: its start (ms on the machine's monotonic clock, to line up with the server's GC) and time. */
  pageTimes: PageTime[];
  /** Pages of the same kind read straight from PostgreSQL with postgres.js. */
  driverAlone: SparseHistogram;
  /** Why those reads stopped, if they did; Murmur's pages stand either way. */
  driverAloneError: string | null;
  firstError: string | null;
}

export interface ClosedReply {
  type: "closed";
}

export interface FailureReply {
  type: "failure";
  error: string;
}

export type LoadReply = ConnectReply | PhaseReply | HistoryReply | ClosedReply | FailureReply;

/** Put into every message so each recipient computes send→receive latency on the shared monotonic clock. */
const STAMP = /@@t=(\d+(?:\.\d+)?)@@p=(\d+)@@/;

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export const stampContent = (phase: number, n: number): string =>
  `@@t=${nowMs().toFixed(3)}@@p=${phase}@@ benchmark chat message number ${n}`;

/** Longer than any stamp: a 13-digit time with 3 decimals, a phase number and the markers. */
const STAMP_MAX_LENGTH = 64;

/**
 * The stretch of a frame that holds its message's stamp, found without decoding or parsing the
 * frame: a stamp is ASCII that JSON leaves as it is.
 */
export function stampIn(frame: Buffer): string | null {
  const at = frame.indexOf("@@t=");
  return at < 0 ? null : frame.toString("latin1", at, at + STAMP_MAX_LENGTH);
}

export function readStamp(text: string): { sentAt: number; phase: number } | null {
  const match = STAMP.exec(text);
  if (!match?.[1] || !match[2]) return null;
  return { sentAt: Number(match[1]), phase: Number(match[2]) };
}
