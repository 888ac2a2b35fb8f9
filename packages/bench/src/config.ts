import { parseArgs } from "node:util";

export type ScenarioName = "idle" | "rooms" | "bigroom" | "history" | "embedded";
export const ALL_SCENARIOS: ScenarioName[] = ["idle", "rooms", "bigroom", "history", "embedded"];

export interface BenchConfig {
  smoke: boolean;
  /** Postgres admin URL: a scratch database is created under it per run. Without it only the embedded and ceiling parts run. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  murmurWorkers: number;
  /** Extra Node.js flags for the Murmur server process, e.g. --max-semi-space-size=64. */
  murmurNodeFlags: string[];
  loadProcesses: number;
  /** How the generator sends Murmur messages: HTTP like @murmur/client, or tRPC frames over the WebSocket like the web app. */
  sendVia: "http" | "ws";
  scenarios: ScenarioName[];
  baselines: boolean;
  phaseMs: number;
  drainMs: number;
  settleMs: number;
  /** An unrecorded step at the first rate before the recorded ones. */
  warmupMs: number;
  maxP99Ms: number;
  idleLevels: number[];
  idleRoomSize: number;
  roomsClients: number;
  roomsRoomSize: number;
  /** Messages per second per client, stepped until p99 exceeds maxP99Ms. */
  roomsRates: number[];
  bigRoomMembers: number;
  /** Messages per second into the one room, all members together. */
  bigRoomRates: number[];
  historyMessages: number;
  historyRequests: number;
  historyLimit: number;
  embeddedUsers: number;
  embeddedRoomSize: number;
  /** Messages per second, all embedded clients together. */
  embeddedRates: number[];
  cpuProfile: boolean;
  outputDir: string | undefined;
}

const FULL: Omit<BenchConfig, "smoke" | "databaseUrl" | "redisUrl" | "outputDir"> = {
  murmurWorkers: 1,
  murmurNodeFlags: [],
  loadProcesses: 2,
  sendVia: "ws",
  scenarios: ALL_SCENARIOS,
  baselines: true,
  phaseMs: 5_000,
  drainMs: 2_000,
  settleMs: 2_000,
  warmupMs: 3_000,
  maxP99Ms: 250,
  idleLevels: [1_000, 5_000, 10_000],
  idleRoomSize: 20,
  roomsClients: 1_000,
  roomsRoomSize: 20,
  roomsRates: [0.1, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 7, 8],
  bigRoomMembers: 1_000,
  bigRoomRates: [5, 20, 50, 100, 150, 200, 250, 300, 400, 500],
  historyMessages: 1_000_000,
  historyRequests: 3_000,
  historyLimit: 50,
  embeddedUsers: 40,
  embeddedRoomSize: 5,
  embeddedRates: [100, 250, 500, 1_000, 1_500, 2_000, 3_000],
  cpuProfile: false,
};

const SMOKE: Partial<BenchConfig> = {
  phaseMs: 1_000,
  // A drain ends as soon as answers stop arriving; the long bound only matters on a busy machine.
  drainMs: 4_000,
  settleMs: 200,
  warmupMs: 300,
  idleLevels: [50],
  roomsClients: 40,
  roomsRoomSize: 10,
  roomsRates: [2],
  bigRoomMembers: 30,
  bigRoomRates: [20],
  historyMessages: 5_000,
  historyRequests: 50,
  embeddedUsers: 4,
  embeddedRoomSize: 2,
  embeddedRates: [20],
};

const numbers = (value: string | undefined): number[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(",")
        .map((v) => Number(v.trim()))
        .filter((v) => Number.isFinite(v) && v > 0);

const integer = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

export const USAGE = `Usage: pnpm bench [options]   (sizes may also come from BENCH_<OPTION> env vars, e.g. BENCH_IDLE_LEVELS)
  --smoke                     every scenario at tiny sizes (seconds)
  --scenarios a,b             ${ALL_SCENARIOS.join(",")}
  --no-baselines              Murmur only
  --send-via http|ws          how Murmur sends are made (default ws, like the web app)
  --workers N                 MURMUR_WORKERS (N>1 needs REDIS_URL)
  --node-flags="..."          Node.js flags for the Murmur server, e.g. --node-flags=--max-semi-space-size=64
  --load-processes N          load generator processes (default 2)
  --phase-ms N  --drain-ms N  length of each load step and of its drain
  --settle-ms N               quiet time before idle memory is read (twice, then sampled)
  --idle-levels a,b,c         idle connection counts
  --rooms-clients N --rooms-room-size N --rooms-rates a,b (msg/s per client)
  --bigroom-members N --bigroom-rates a,b (msg/s into the room)
  --history-messages N --history-requests N
  --embedded-users N --embedded-rates a,b (msg/s in total)
  --cpu-prof                  write a V8 CPU profile of the Murmur server to results/profiles
  --out DIR                   where latest.json and latest.svg go (default packages/bench/results)
Environment: DATABASE_URL (Postgres admin URL; a scratch database is made under it), REDIS_URL.`;

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchConfig | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: "boolean" },
      smoke: { type: "boolean" },
      scenarios: { type: "string" },
      "no-baselines": { type: "boolean" },
      "send-via": { type: "string" },
      workers: { type: "string" },
      "node-flags": { type: "string" },
      "load-processes": { type: "string" },
      "phase-ms": { type: "string" },
      "drain-ms": { type: "string" },
      "settle-ms": { type: "string" },
      "idle-levels": { type: "string" },
      "rooms-clients": { type: "string" },
      "rooms-room-size": { type: "string" },
      "rooms-rates": { type: "string" },
      "bigroom-members": { type: "string" },
      "bigroom-rates": { type: "string" },
      "history-messages": { type: "string" },
      "history-requests": { type: "string" },
      "embedded-users": { type: "string" },
      "embedded-rates": { type: "string" },
      "cpu-prof": { type: "boolean" },
      out: { type: "string" },
    },
  });
  if (values.help) return "help";
  const pick = (name: string): string | undefined => {
    const fromArgs = (values as Record<string, string | boolean | undefined>)[name];
    if (typeof fromArgs === "string") return fromArgs;
    return env[`BENCH_${name.toUpperCase().replaceAll("-", "_")}`];
  };
  const smoke = values.smoke === true || env.BENCH_SMOKE === "1";
  const base = { ...FULL, ...(smoke ? SMOKE : {}) };
  const scenarios = pick("scenarios")
    ?.split(",")
    .map((s) => s.trim())
    .filter((s): s is ScenarioName => (ALL_SCENARIOS as string[]).includes(s));
  const sendVia = pick("send-via");
  return {
    ...base,
    smoke,
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    scenarios: scenarios?.length ? scenarios : base.scenarios,
    baselines: !(values["no-baselines"] === true || env.BENCH_NO_BASELINES === "1"),
    sendVia: sendVia === "ws" || sendVia === "http" ? sendVia : base.sendVia,
    murmurWorkers: integer(pick("workers")) ?? base.murmurWorkers,
    murmurNodeFlags: pick("node-flags")?.split(/\s+/).filter(Boolean) ?? base.murmurNodeFlags,
    loadProcesses: integer(pick("load-processes")) ?? base.loadProcesses,
    phaseMs: integer(pick("phase-ms")) ?? base.phaseMs,
    drainMs: integer(pick("drain-ms")) ?? base.drainMs,
    settleMs: integer(pick("settle-ms")) ?? base.settleMs,
    idleLevels: numbers(pick("idle-levels")) ?? base.idleLevels,
    roomsClients: integer(pick("rooms-clients")) ?? base.roomsClients,
    roomsRoomSize: integer(pick("rooms-room-size")) ?? base.roomsRoomSize,
    roomsRates: numbers(pick("rooms-rates")) ?? base.roomsRates,
    bigRoomMembers: Math.min(1_000, integer(pick("bigroom-members")) ?? base.bigRoomMembers),
    bigRoomRates: numbers(pick("bigroom-rates")) ?? base.bigRoomRates,
    historyMessages: integer(pick("history-messages")) ?? base.historyMessages,
    historyRequests: integer(pick("history-requests")) ?? base.historyRequests,
    embeddedUsers: integer(pick("embedded-users")) ?? base.embeddedUsers,
    embeddedRates: numbers(pick("embedded-rates")) ?? base.embeddedRates,
    cpuProfile: values["cpu-prof"] === true || env.BENCH_CPU_PROF === "1",
    outputDir: values.out ?? env.BENCH_OUT,
  };
}
