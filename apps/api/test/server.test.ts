import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMurmurClient } from "@murmur/client";
import { createDb } from "@murmur/db";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createMurmurServer } from "../src/server";
import { clientId, until, watchRoom } from "./helpers/live";

const silent = pino({ level: "silent" });

describe("the HTTP server", () => {
  it("answers /healthz, serves the web app with a fallback to index.html, and 404s unknown WebSocket paths", async () => {
    const webDist = mkdtempSync(join(tmpdir(), "murmur-web-"));
    writeFileSync(join(webDist, "index.html"), "<!doctype html><title>Murmur test page</title>");
    const database = await createDb({ dataDir: "memory://" });
    const server = createMurmurServer({ database, log: silent, webDist });
    const { port } = await server.listen(0, "127.0.0.1");
    const base = `http://127.0.0.1:${port}`;
    try {
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", bus: "memory", pid: process.pid });
      expect(await (await fetch(`${base}/`)).text()).toContain("Murmur test page");
      expect(await (await fetch(`${base}/rooms/some-room`)).text()).toContain("Murmur test page");

      const refused = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/elsewhere`);
        socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        socket.on("open", () => resolve(101));
      });
      expect(refused).toBe(404);
    } finally {
      await server.close();
      await database.close();
    }
  });

  it("cuts a connection that stops answering pings and keeps one that answers", async () => {
    const database = await createDb({ dataDir: "memory://" });
    const server = createMurmurServer({ database, log: silent, config: { heartbeatMs: 100 } });
    const { port } = await server.listen(0, "127.0.0.1");
    const open = async (autoPong: boolean) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/trpc`, { autoPong });
      await new Promise((resolve) => socket.once("open", resolve));
      const closed = new Promise<number>((resolve) => socket.once("close", resolve));
      return { socket, closed };
    };
    try {
      const silentPeer = await open(false);
      const livePeer = await open(true);
      let pings = 0;
      livePeer.socket.on("ping", () => pings++);
      expect(await silentPeer.closed).toBe(1006);
      await until(() => pings >= 3);
      expect(livePeer.socket.readyState).toBe(WebSocket.OPEN);
      livePeer.socket.close();
    } finally {
      await server.close();
      await database.close();
    }
  });

  it("tells clients to reconnect on shutdown, and they resume on the next server without losing a message", async () => {
    const database = await createDb({ dataDir: "memory://" });
    const first = createMurmurServer({ database, log: silent });
    const { port } = await first.listen(0, "127.0.0.1");
    const url = `http://127.0.0.1:${port}`;
    const anon = createMurmurClient({ url });
    const alice = await anon.api.auth.register.mutate({
      username: "alice",
      email: "alice@example.test",
      password: "long enough pw",
    });
    const bob = await anon.api.auth.register.mutate({
      username: "bob",
      email: "bob@example.test",
      password: "long enough pw",
    });
    const aliceClient = createMurmurClient({ url, token: alice.token });
    const bobClient = createMurmurClient({ url, token: bob.token, retryDelayMs: () => 50 });
    const room = await aliceClient.api.rooms.create.mutate({ name: "restart" });
    await bobClient.api.rooms.join.mutate({ roomId: room.id });
    const feed = watchRoom(bobClient, { roomId: room.id });
    await feed.started;
    const send = (content: string) =>
      aliceClient.api.messages.send.mutate({ roomId: room.id, content, clientMessageId: clientId() });
    await send("before restart");
    await until(() => feed.messages.length === 1);

    await first.close();
    const second = createMurmurServer({ database, log: silent });
    await second.listen(port, "127.0.0.1");
    try {
      await send("after restart 1");
      await send("after restart 2");
      await until(() => feed.messages.length === 3);
      expect(feed.messages.map((m) => m.content)).toEqual(["before restart", "after restart 1", "after restart 2"]);
      expect(feed.errors).toEqual([]);
    } finally {
      await Promise.all([anon.close(), aliceClient.close(), bobClient.close()]);
      await second.close();
      await database.close();
    }
  });
});
