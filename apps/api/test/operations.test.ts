import { createServer, Socket, type Server } from "node:net";
import type { Message } from "@murmur/api-contract";
import { createMurmurClient, type MurmurClient } from "@murmur/client";
import { createDb } from "@murmur/db";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createMurmurServer } from "../src/server";
import { clientId, watchRoom, sleep, until } from "./helpers/live";
import { freePort, startMurmurProcess } from "./helpers/processes";
import { freshDatabase, postgresUrl, startTestServer } from "./helpers/server";

const TOKEN = "metrics-token-for-tests-0123456789";

const scrape = async (url: string) => {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
};

/** The sum of a series' samples (all label sets), from Prometheus text. */
const total = (text: string, name: string) =>
  text
    .split("\n")
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);

/** A TCP pass-through to PostgreSQL that can be cut and restored, to make the database unreachable. */
async function cuttableProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const port = await freePort();
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = new Socket();
        upstream.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      }).listen(port, "127.0.0.1", () => resolve());
    });
  await open();
  return {
    port,
    open,
    async cut() {
      const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const s of sockets) s.destroy();
      await closing;
      server = null;
    },
  };
}

describe("operations", () => {
  it("exposes the named metrics behind a token, and they move when messages flow", async () => {
    const s = await startTestServer("pglite", { metricsToken: TOKEN });
    try {
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${s.url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
      const before = await scrape(s.url);
      for (const name of [
        "murmur_ws_connections",
        "murmur_messages_stored_total",
        "murmur_fanout_latency_seconds_bucket",
        "murmur_client_delivery_seconds_bucket",
        "murmur_db_transaction_seconds_bucket",
        "murmur_db_transactions_in_flight",
        "murmur_db_pool_size",
        "nodejs_eventloop_lag_seconds",
        "process_cpu_user_seconds_total",
        "process_resident_memory_bytes",
      ]) {
        expect(before, name).toContain(name);
      }

      const alice = await s.user("alice");
      const bob = await s.user("bob");
      const room = await s.room(alice, bob);
      const feed = watchRoom(bob.client, { roomId: room.id });
      await feed.started;
      for (let i = 0; i < 5; i++) {
        await alice.api.messages.send.mutate({ roomId: room.id, content: `m${i}`, clientMessageId: clientId() });
      }
      await until(() => feed.items.length === 5);
      await bob.api.metrics.reportDelivery.mutate({ samplesMs: [12, 30, 45] });
      expect((await bob.api.metrics.reportDelivery.mutate({ samplesMs: [1] })).accepted).toBe(1);
      const oversized = await bob.api.metrics.reportDelivery
        .mutate({ samplesMs: Array.from({ length: 101 }, () => 1) })
        .catch((e: unknown) => e);
      expect(oversized).toMatchObject({ data: { code: "BAD_REQUEST" } });

      const after = await scrape(s.url);
      expect(
        total(after, "murmur_messages_stored_total") - total(before, "murmur_messages_stored_total"),
      ).toBeGreaterThanOrEqual(5);
      expect(total(after, "murmur_fanout_latency_seconds_count")).toBeGreaterThanOrEqual(5);
      expect(
        total(after, "murmur_client_delivery_seconds_count") - total(before, "murmur_client_delivery_seconds_count"),
      ).toBe(4);
      expect(total(after, "murmur_events_published_total")).toBeGreaterThan(
        total(before, "murmur_events_published_total"),
      );
      expect(total(after, "murmur_events_delivered_total")).toBeGreaterThan(
        total(before, "murmur_events_delivered_total"),
      );
      expect(total(after, "murmur_ws_connections")).toBeGreaterThanOrEqual(1);
      expect(after).toMatch(/murmur_subscriptions_active\{kind="messages.onRoom"\} [1-9]/);
      expect(total(after, "murmur_db_transaction_seconds_count")).toBeGreaterThan(
        total(before, "murmur_db_transaction_seconds_count"),
      );
    } finally {
      await s.close();
    }
  });

  it.skipIf(!postgresUrl)(
    `flips readiness when PostgreSQL becomes unreachable, and back${postgresUrl ? "" : " (skipped: DATABASE_URL is not set)"}`,
    async () => {
      const fresh = await freshDatabase("postgres");
      await fresh.database.close();
      const target = new URL(fresh.url ?? "");
      const proxy = await cuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const viaProxy = new URL(target);
      viaProxy.port = String(proxy.port);
      const database = await createDb({ databaseUrl: viaProxy.toString(), poolSize: 2 });
      const server = createMurmurServer({ database, log: pino({ level: "silent" }) });
      const { port } = await server.listen(0, "127.0.0.1");
      const readyz = async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
      try {
        expect(await readyz()).toBe(200);
        await proxy.cut();
        expect(await readyz()).toBe(503);
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
        await proxy.open();
        let status = 0;
        for (let i = 0; i < 50 && status !== 200; i++) {
          status = await readyz();
          await sleep(100);
        }
        expect(status).toBe(200);
      } finally {
        await server.close();
        await database.close().catch(() => undefined);
        await proxy.cut();
        await fresh.drop();
      }
    },
    30_000,
  );

  it.skipIf(!postgresUrl)(
    `loses no acknowledged message when SIGTERM lands during a send burst, and clients resume${postgresUrl ? "" : " (skipped: DATABASE_URL is not set)"}`,
    async () => {
      const fresh = await freshDatabase("postgres");
      await fresh.database.close();
      const port = await freePort();
      const env = { DATABASE_URL: fresh.url ?? "", MESSAGE_RATE_PER_MINUTE: "1000000", REDIS_URL: "" };
      const first = await startMurmurProcess(env, port);
      const url = first.url;
      const clients: MurmurClient[] = [];
      let second: Awaited<ReturnType<typeof startMurmurProcess>> | null = null;
      try {
        const anon = createMurmurClient({ url });
        clients.push(anon);
        const a = await anon.api.auth.register.mutate({
          username: "sender",
          email: "s@example.test",
          password: "long enough pw",
        });
        const b = await anon.api.auth.register.mutate({
          username: "reader",
          email: "r@example.test",
          password: "long enough pw",
        });
        const senderClient = createMurmurClient({ url, token: a.token, retryDelayMs: () => 100 });
        const readerClient = createMurmurClient({ url, token: b.token, retryDelayMs: () => 100 });
        clients.push(senderClient, readerClient);
        const room = await senderClient.api.rooms.create.mutate({ name: "restart" });
        await readerClient.api.rooms.join.mutate({ roomId: room.id });
        const feed = watchRoom(readerClient, { roomId: room.id });
        await feed.started;

        const acknowledged: string[] = [];
        let burst = true;
        const senders = Array.from({ length: 4 }, async (_, lane) => {
          for (let i = 0; burst; i++) {
            const content = `lane${lane}-${i}`;
            try {
              await senderClient.api.messages.send.mutate({ roomId: room.id, content, clientMessageId: clientId() });
              acknowledged.push(content);
            } catch {
              await sleep(50);
            }
          }
        });
        await until(() => acknowledged.length >= 20);
        expect(await first.stop("SIGTERM")).toBe(0);
        second = await startMurmurProcess(env, port);
        await until(() => acknowledged.length >= 60, 20_000);
        burst = false;
        await Promise.all(senders);

        const history = new Set<string>();
        let cursor: string | null = null;
        do {
          const page: { items: Message[]; nextCursor: string | null } = await readerClient.api.messages.history.query({
            roomId: room.id,
            cursor,
            limit: 100,
          });
          for (const m of page.items) history.add(m.content);
          cursor = page.nextCursor;
        } while (cursor);
        expect(acknowledged.filter((c) => !history.has(c))).toEqual([]);

        const live = () => feed.items.filter((m) => m.data.messageType === "text").map((m) => m.data.content);
        await until(() => live().length === history.size - 1, 20_000).catch(() => undefined);
        const seen = live();
        expect(new Set(seen).size).toBe(seen.length);
        const stored = [...history].filter((c) => c !== "reader joined");
        expect({
          missing: stored.filter((c) => !seen.includes(c)),
          extra: seen.filter((c) => !history.has(c)),
        }).toEqual({
          missing: [],
          extra: [],
        });
      } finally {
        await Promise.all(clients.map((c) => c.close()));
        await first.stop("SIGKILL");
        await second?.stop("SIGKILL");
        await fresh.drop();
      }
    },
    90_000,
  );
});
