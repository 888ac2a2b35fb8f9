import type { TargetKind } from "./load/protocol";

export interface PhaseResult {
  label: string;
  connections: number;
  offeredPerSec: number;
  /** Sends the server acknowledged per second: stored first, for the servers that store. */
  persistedPerSec: number;
  deliveriesPerSec: number;
  /** Deliveries seen ÷ deliveries owed (acknowledged sends × room size). */
  deliveredRatio: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  failed: number;
  skipped: number;
  dropped: number;
  serverCpuPercent: number;
  serverRssMiB: number;
  generatorCpuPercent: number;
  /** PostgreSQL's processes on this machine (0 for the embedded database, which runs in the server). */
  dbCpuPercent: number;
  /** Everything on the machine, all cores: 100% per core, so 200% is a saturated 2-core machine. */
  machineCpuPercent: number;
  sustainable: boolean;
  /** Why a step was not sustainable. */
  limitedBy: string | null;
  firstError: string | null;
}

export interface SteppedResult {
  target: TargetKind;
  connections: number;
  phases: PhaseResult[];
  /** The highest step that met every condition, or null if none did. */
  best: PhaseResult | null;
}

export interface IdleLevel {
  connections: number;
  failed: number;
  serverRssMiB: number;
  rssDeltaMiB: number;
  /** RSS growth over the connections held, fixed costs of the first connections included. */
  kibPerConnection: number;
  /**
   * RSS growth per connection since the previous level: what each further connection costs, once
   * the one-time costs (compiled code, the young generation growing, caches) are paid. Between the
   * readings after a full collection when the server has an inspector, else the settled ones. Null
   * at the first level.
   */
  marginalKibPerConnection: number | null;
  /** Server CPU while the connections sat idle (keep-alives, timers). */
  idleCpuPercent: number;
  /**
   * The same after a full garbage collection that gives memory back (see servers/inspector.ts),
   * against the baseline taken the same way: what the server settles at when the connections stay
   * idle. Null when the server has no inspector (several workers).
   */
  serverRssAfterGcMiB: number | null;
  kibPerConnectionAfterGc: number | null;
}

export interface IdleResult {
  target: TargetKind;
  baselineRssMiB: number;
  baselineRssAfterGcMiB: number | null;
  levels: IdleLevel[];
}

export interface HistoryResult {
  /** How the pages were requested: HTTP queries, or tRPC frames on the WebSocket. */
  via: "http" | "ws";
  messages: number;
  requests: number;
  failed: number;
  seedSeconds: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** The same connection's `auth.me` after each page: one row by primary key through the same stack, as a yardstick. */
  authMeP50Ms: number | null;
  authMeP99Ms: number | null;
  /**
   * Pages of the same kind (same statement shape, same mix of cursors) read straight from
   * PostgreSQL by postgres.js, in the load process, after Murmur's: the floor any Node.js server on
   * this driver and machine starts from.
   */
  driverAloneP50Ms: number | null;
  driverAloneP99Ms: number | null;
  driverAloneError: string | null;
  /** The server's garbage collection while the pages were read; null without an inspector or when it failed. */
  serverGc: HistoryGc | null;
  /** Why the server's GC pauses could not be read, if so; the pages stand either way. */
  serverGcError: string | null;
}

/** How much of history's tail the server's garbage collection explains. */
export interface HistoryGc {
  youngCollections: number;
  youngMeanMs: number | null;
  youngMaxMs: number | null;
  /** Major collections, incremental marking steps and weak-callback runs. */
  otherCollections: number;
  /** Pages during which the server paused for a collection. */
  pagesPaused: number;
  /** The pages' p99 with every such pause subtracted from the page it fell in. */
  p99WithoutGcMs: number | null;
}

export interface TargetCheck {
  name: string;
  goal: string;
  measured: string;
  pass: boolean | null;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  smoke: boolean;
  machine: {
    cpus: number;
    memoryGiB: number;
    node: string;
    fdLimit: string;
    /** 1-minute load average before and after: anything else running on the machine skews every number. */
    loadAverageBefore: number;
    loadAverageAfter: number;
  };
  settings: Record<string, unknown>;
  idle: IdleResult[];
  rooms: SteppedResult[];
  bigRoom: SteppedResult[];
  history: HistoryResult | null;
  embedded: SteppedResult | null;
  targets: TargetCheck[];
  skipped: string[];
  errors: string[];
}
