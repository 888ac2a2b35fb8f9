import { randomBytes } from "node:crypto";
import { createMurmurClient, type MurmurClient, type RouterOutputs } from "@murmur/client";
import { createDb, type DbHandle } from "@murmur/db";
import { pino } from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe } from "vitest";
import { createMurmurServer, DEFAULT_CONFIG, type MurmurServer, type ServerConfig } from "../../src/server";
import { LeakScanner } from "./leaks";

export type DbMode = "pglite" | "postgres";

export const postgresUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

/** Every test file runs once on the embedded database and, when one is configured, on PostgreSQL. */
export const dbModes: DbMode[] = postgresUrl ? ["pglite", "postgres"] : ["pglite"];

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
  client: MurmurClient;
  api: MurmurClient["api"];
}

export interface TestServer {
  mode: DbMode;
  leaks: LeakScanner;
  url: string;
  server: MurmurServer;
  database: DbHandle;
  /** A client with no session. */
  anonymous(): MurmurClient;
  /** Registers a fresh user and returns a client logged in as them. */
  user(prefix?: string): Promise<TestUser>;
  room(owner: TestUser, ...members: TestUser[]): Promise<RouterOutputs["rooms"]["create"]>;
  close(): Promise<void>;
}

const uniqueSuffix = () => randomBytes(4).toString("hex");

/** A new, migrated database: in memory, or a fresh PostgreSQL database dropped afterwards. */
export async function freshDatabase(
  mode: DbMode,
): Promise<{ database: DbHandle; url?: string; drop(): Promise<void> }> {
  if (mode === "pglite") {
    const database = await createDb({ dataDir: "memory://" });
    return { database, drop: async () => undefined };
  }
  if (!postgresUrl) throw new Error("no PostgreSQL URL");
  const name = `murmur_test_${uniqueSuffix()}`;
  const admin = postgres(postgresUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const database = await createDb({ databaseUrl: url.toString(), poolSize: 10 });
  return {
    database,
    url: url.toString(),
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Limits high enough that only tests about limits meet them. */
export const RELAXED_LIMITS: ServerConfig["rateLimits"] = {
  ...DEFAULT_CONFIG.rateLimits,
  messagesPerMinute: 1_000_000,
  registrationsPerIpPerHour: 1_000_000,
  loginFailuresPerIp: 1_000_000,
};

export async function startTestServer(mode: DbMode, config: Partial<ServerConfig> = {}): Promise<TestServer> {
  const { database, drop } = await freshDatabase(mode);
  const server = createMurmurServer({
    database,
    log: pino({ level: "silent" }),
    webDist: "/nonexistent",
    config: { trustProxy: true, rateLimits: RELAXED_LIMITS, ...config },
  });
  const leaks = new LeakScanner();
  const { port } = await server.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  const clients: MurmurClient[] = [];
  const track = (client: MurmurClient) => {
    clients.push(client);
    return client;
  };

  const observedClient = (viewer: string | null, token?: string) =>
    track(
      createMurmurClient({
        url,
        token,
        fetch: leaks.fetchFor(() => viewer),
        onFrame: leaks.frameRecorder(() => viewer),
      }),
    );

  const testServer: TestServer = {
    mode,
    leaks,
    url,
    server,
    database,
    anonymous: () => observedClient(null),
    async user(prefix = "user") {
      const username = `${prefix}_${uniqueSuffix()}`;
      const email = `${username}@example.test`;
      const password = `pw-${uniqueSuffix()}-secret`;
      const { user, token } = await testServer.anonymous().api.auth.register.mutate({ username, email, password });
      leaks.knowUser({ id: user.id, email, token });
      const client = observedClient(user.id, token);
      return { id: user.id, username, email, password, token, client, api: client.api };
    },
    async room(owner, ...members) {
      const room = await owner.api.rooms.create.mutate({ name: `room ${uniqueSuffix()}` });
      for (const member of members) await member.api.rooms.join.mutate({ roomId: room.id });
      return room;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      await database.close();
      await drop();
    },
  };
  return testServer;
}

/** Declares the suite once per database mode, each on its own server and fresh database. */
export function describeEachDb(name: string, body: (server: () => TestServer) => void): void {
  for (const mode of dbModes) {
    describe(`${name} (${mode})`, () => {
      let current: TestServer | undefined;
      beforeAll(async () => {
        current = await startTestServer(mode);
      });
      afterAll(async () => {
        try {
          current?.leaks.assertNoLeaks();
        } finally {
          await current?.close();
        }
      });
      body(() => {
        if (!current) throw new Error("server not started");
        return current;
      });
    });
  }
}
