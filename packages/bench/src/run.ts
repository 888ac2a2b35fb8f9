import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import type { BenchConfig } from "./config";
import { connect, createScratchDatabase, type ScratchDatabase, type Sql } from "./db/admin";
import { seedRooms, seedUsers, type SeededClient } from "./db/murmur-fixtures";
import { LoadPool } from "./load/pool";
import type { ClientSpec, TargetKind } from "./load/protocol";
import { resultsDir } from "./paths";
import { evaluateTargets } from "./report/targets";
import type { BenchResults, SteppedResult } from "./results";
import { runHistory } from "./scenarios/history";
import { runIdle } from "./scenarios/idle";
import { registerThroughApi } from "./scenarios/embedded-setup";
import { runSteps, type Step } from "./scenarios/stepped";
import { startSocketIoBaseline, startWsBaseline } from "./servers/baselines";
import { startMurmur } from "./servers/murmur";
import type { ServerProcess } from "./servers/process";

export type Progress = (line: string) => void;

interface Target {
  kind: TargetKind;
  server: ServerProcess;
}

const stripTokens = (clients: SeededClient[]): ClientSpec[] => clients.map((c) => ({ roomId: c.roomId }));
const forTarget = (kind: TargetKind, clients: SeededClient[]): ClientSpec[] =>
  kind === "murmur" ? clients : stripTokens(clients);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs every configured scenario against every server it applies to; always cleans up after itself. */
export async function runBench(config: BenchConfig, progress: Progress = () => undefined): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const results: BenchResults = {
    startedAt,
    finishedAt: startedAt,
    smoke: config.smoke,
    machine: {
      cpus: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      fdLimit: "raised to 65536 per server and load process (ulimit -n in the spawning shell)",
      loadAverageBefore: loadavg()[0] ?? 0,
      loadAverageAfter: 0,
    },
    settings: {
      ...config,
      databaseUrl: config.databaseUrl ? "(set)" : null,
      redisUrl: config.redisUrl ? "(set)" : null,
    },
    idle: [],
    rooms: [],
    bigRoom: [],
    history: null,
    embedded: null,
    targets: [],
    skipped: [],
    errors: [],
  };
  const wants = (name: BenchConfig["scenarios"][number]) => config.scenarios.includes(name);
  const cleanups: (() => Promise<void>)[] = [];
  let phase = 1;
  const pool = LoadPool.start(config.loadProcesses);
  cleanups.push(() => pool.close());

  const attempt = async (what: string, work: () => Promise<void>) => {
    progress(what);
    try {
      await work();
    } catch (error) {
      results.errors.push(`${what}: ${message(error)}`);
    }
    await pool
      .reset(config.settleMs / 4)
      .catch((error: unknown) => results.errors.push(`reset after ${what}: ${message(error)}`));
  };

  try {
    const databases: { murmur?: ScratchDatabase; socketio?: ScratchDatabase } = {};
    if (config.databaseUrl) {
      databases.murmur = await createScratchDatabase(config.databaseUrl, "murmur");
      cleanups.push(() => databases.murmur?.drop() ?? Promise.resolve());
      if (config.baselines) {
        databases.socketio = await createScratchDatabase(config.databaseUrl, "sio");
        cleanups.push(() => databases.socketio?.drop() ?? Promise.resolve());
      }
    } else {
      results.skipped.push("Murmur on Postgres and the Socket.IO baseline: DATABASE_URL is not set");
    }

    const profileDir = config.cpuProfile ? join(config.outputDir ?? resultsDir, "profiles") : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const starting: Promise<Target | null>[] = [];
    const track = (kind: TargetKind, start: Promise<ServerProcess>) =>
      starting.push(
        start.then(
          (server) => {
            cleanups.push(() => server.stop());
            return { kind, server };
          },
          (error: unknown) => {
            results.errors.push(`starting ${kind}: ${message(error)}`);
            return null;
          },
        ),
      );
    const needsPostgres = ["idle", "rooms", "bigroom", "history"].some((s) => wants(s as "idle"));
    if (databases.murmur && needsPostgres) {
      track(
        "murmur",
        startMurmur({
          databaseUrl: databases.murmur.url,
          redisUrl: config.murmurWorkers > 1 ? config.redisUrl : undefined,
          workers: config.murmurWorkers,
          nodeFlags: config.murmurNodeFlags,
          cpuProfileDir: profileDir,
          inspect: wants("idle") || wants("history"),
        }),
      );
    }
    if (databases.socketio && needsPostgres)
      track("socketio", startSocketIoBaseline(databases.socketio.url, wants("idle")));
    if (config.baselines && (wants("idle") || wants("rooms") || wants("bigroom")))
      track("ws", startWsBaseline(wants("idle")));
    // The embedded server starts with the others (its migrations take seconds) and idles until its turn.
    let embeddedServer: Promise<ServerProcess> | undefined;
    if (wants("embedded")) {
      const dataDir = mkdtempSync(join(tmpdir(), "murmur-bench-pglite-"));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const started = startMurmur({ dataDir, nodeFlags: config.murmurNodeFlags, cpuProfileDir: profileDir });
      embeddedServer = started.then((server) => {
        cleanups.push(() => server.stop());
        return server;
      });
      // Reported when the scenario runs; unobserved until then.
      embeddedServer.catch(() => undefined);
    }
    const targets = (await Promise.all(starting)).filter((t): t is Target => t !== null);
    const murmur = targets.find((t) => t.kind === "murmur");

    let sql: Sql | undefined;
    const fixtures: { idle: SeededClient[]; rooms: SeededClient[]; bigRoom: SeededClient[] } = {
      idle: [],
      rooms: [],
      bigRoom: [],
    };
    const maxIdle = Math.max(0, ...config.idleLevels);
    let users: Awaited<ReturnType<typeof seedUsers>> = [];
    if (databases.murmur && murmur) {
      sql = connect(databases.murmur.url);
      const db = sql;
      cleanups.push(() => db.end({ timeout: 5 }));
      progress("seeding users and rooms");
      const needed = Math.max(
        1,
        wants("idle") ? maxIdle : 0,
        wants("rooms") ? config.roomsClients : 0,
        wants("bigroom") ? config.bigRoomMembers : 0,
      );
      users = await seedUsers(sql, needed);
      if (wants("idle")) fixtures.idle = await seedRooms(sql, users.slice(0, maxIdle), config.idleRoomSize);
      if (wants("rooms"))
        fixtures.rooms = await seedRooms(sql, users.slice(0, config.roomsClients), config.roomsRoomSize);
      if (wants("bigroom"))
        fixtures.bigRoom = await seedRooms(sql, users.slice(0, config.bigRoomMembers), config.bigRoomMembers);
    } else if (targets.length > 0) {
      // The baselines need only room names; make the same shapes without a database.
      const fake = (count: number, size: number): SeededClient[] =>
        Array.from({ length: count }, (_, i) => ({
          id: "",
          token: "",
          roomId: `room-${size}-${Math.floor(i / size)}`,
        }));
      fixtures.idle = fake(maxIdle, config.idleRoomSize);
      fixtures.rooms = fake(config.roomsClients, config.roomsRoomSize);
      fixtures.bigRoom = fake(config.bigRoomMembers, config.bigRoomMembers);
    }

    const stepped = async (
      target: Target,
      clients: ClientSpec[],
      fanOut: number,
      steps: Step[],
    ): Promise<SteppedResult> => {
      const opened = await pool.connect(target.kind, target.server.url, clients, {
        sendVia: config.sendVia,
        timeoutMs: 60_000 + clients.length * 20,
      });
      if (opened.failed > 0) throw new Error(`${opened.failed} clients failed to connect: ${opened.firstError}`);
      await new Promise((resolve) => setTimeout(resolve, config.settleMs));
      const result = await runSteps({
        target: target.kind,
        pool,
        server: target.server,
        connections: opened.open,
        fanOut,
        steps,
        phaseMs: config.phaseMs,
        drainMs: config.drainMs,
        maxP99Ms: config.maxP99Ms,
        warmupMs: config.warmupMs,
        firstPhase: phase,
      });
      phase += steps.length + 1;
      return result;
    };

    for (const target of targets) {
      if (!wants("idle")) break;
      await attempt(`idle connections on ${target.kind}`, async () => {
        results.idle.push(
          await runIdle({
            target: target.kind,
            pool,
            server: target.server,
            clients: forTarget(target.kind, fixtures.idle),
            levels: config.idleLevels,
            settleMs: config.settleMs,
            sendVia: config.sendVia,
          }),
        );
      });
    }
    for (const target of targets) {
      if (!wants("rooms")) break;
      await attempt(`rooms on ${target.kind}`, async () => {
        const steps = config.roomsRates.map((r) => ({ label: `${r} msg/s/client`, ratePerClient: r, sendEvery: 1 }));
        results.rooms.push(await stepped(target, forTarget(target.kind, fixtures.rooms), config.roomsRoomSize, steps));
      });
    }
    for (const target of targets) {
      if (!wants("bigroom")) break;
      await attempt(`one big room on ${target.kind}`, async () => {
        const members = fixtures.bigRoom.length;
        const steps = config.bigRoomRates.map((r) => ({
          label: `${r} msg/s`,
          ratePerClient: r / members,
          sendEvery: 1,
        }));
        results.bigRoom.push(await stepped(target, forTarget(target.kind, fixtures.bigRoom), members, steps));
      });
    }
    if (wants("history")) {
      const reader = users[0];
      if (murmur && sql && reader && databases.murmur) {
        const db = sql;
        const databaseUrl = databases.murmur.url;
        await attempt("history", async () => {
          results.history = await runHistory({
            pool,
            server: murmur.server,
            sql: db,
            reader,
            messages: config.historyMessages,
            requests: config.historyRequests,
            limit: config.historyLimit,
            via: config.sendVia,
            databaseUrl,
          });
          if (results.history.driverAloneError)
            results.errors.push(`history, postgres.js alone: ${results.history.driverAloneError}`);
          if (results.history.serverGcError)
            results.errors.push(`history, the server's GC pauses: ${results.history.serverGcError}`);
        });
      } else {
        results.skipped.push("history: needs Murmur on Postgres (DATABASE_URL)");
      }
    }
    // The Postgres servers are done: stop them so the embedded run has the machine to itself.
    for (const target of targets) await target.server.stop();

    if (embeddedServer) {
      const starting = embeddedServer;
      await attempt("embedded (PGlite) mode", async () => {
        const server = await starting;
        const clients = await registerThroughApi(server.url, config.embeddedUsers, config.embeddedRoomSize);
        const steps = config.embeddedRates.map((r) => ({
          label: `${r} msg/s`,
          ratePerClient: r / clients.length,
          sendEvery: 1,
        }));
        results.embedded = await stepped({ kind: "murmur", server }, clients, config.embeddedRoomSize, steps);
        await server.stop();
      });
    }
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => results.errors.push(`cleanup: ${message(error)}`));
    }
  }
  results.targets = evaluateTargets(results);
  results.finishedAt = new Date().toISOString();
  results.machine.loadAverageAfter = loadavg()[0] ?? 0;
  return results;
}
