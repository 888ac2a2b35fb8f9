import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { DmEvent, Message, TypingState } from "@murmur/api-contract";
import { createMurmurClient, type MurmurClient } from "@murmur/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientId, record, watchPresence, watchRoom, sleep, until } from "./helpers/live";
import { freePort, startMurmurProcess, type MurmurProcess } from "./helpers/processes";
import { freshDatabase, postgresUrl } from "./helpers/server";

const redisUrl = process.env.REDIS_URL;
const reason = !redisUrl ? "REDIS_URL is not set" : !postgresUrl ? "DATABASE_URL is not set" : null;

interface Account {
  id: string;
  username: string;
  token: string;
}

describe.skipIf(reason !== null)(`several API processes through Redis${reason ? ` (skipped: ${reason})` : ""}`, () => {
  let drop: () => Promise<void> = async () => undefined;
  let databaseUrl = "";
  const processes: MurmurProcess[] = [];
  const clients: MurmurClient[] = [];
  const prefix = `murmur-test-${randomBytes(4).toString("hex")}:`;
  const env = () => ({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl ?? "",
    REDIS_PREFIX: prefix,
    MESSAGE_RATE_PER_MINUTE: "1000000",
    REGISTRATIONS_PER_IP_PER_HOUR: "1000000",
  });
  const connect = (process: MurmurProcess, token?: string) => {
    const client = createMurmurClient({ url: process.url, token, retryDelayMs: () => 100 });
    clients.push(client);
    return client;
  };
  const account = async (process: MurmurProcess, name: string): Promise<Account> => {
    const username = `${name}_${randomBytes(3).toString("hex")}`;
    const { user, token } = await connect(process).api.auth.register.mutate({
      username,
      email: `${username}@example.test`,
      password: "long enough pw",
    });
    return { id: user.id, username, token };
  };

  beforeAll(async () => {
    const fresh = await freshDatabase("postgres");
    drop = fresh.drop;
    await fresh.database.close();
    databaseUrl = fresh.url ?? "";
    processes.push(...(await Promise.all([startMurmurProcess(env()), startMurmurProcess(env())])));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(processes.map((p) => p.stop("SIGKILL")));
    await drop();
  });

  it("delivers room messages, DMs, typing and presence caused on one process to a member on another", async () => {
    const [p1, p2] = processes as [MurmurProcess, MurmurProcess];
    const alice = await account(p1, "alice");
    const bob = await account(p2, "bob");
    const aliceOn1 = connect(p1, alice.token);
    const bobOn2 = connect(p2, bob.token);
    const room = await aliceOn1.api.rooms.create.mutate({ name: "across" });
    await bobOn2.api.rooms.join.mutate({ roomId: room.id });

    const presence = watchPresence(aliceOn1);
    const messages = watchRoom(aliceOn1, { roomId: room.id });
    const dms = record<{ id: string; data: DmEvent }>((h) => aliceOn1.api.dm.onMessage.subscribe({}, h));
    const typing = record<TypingState>((h) => aliceOn1.api.typing.on.subscribe({ roomId: room.id }, h));
    await Promise.all([presence.listening, messages.started, dms.started]);
    await until(() => typing.items.length === 1);

    const bobFeed = watchPresence(bobOn2);
    await bobFeed.started;
    await until(() => presence.changes.some((c) => c.userId === bob.id && c.isOnline));

    await bobOn2.api.typing.set.mutate({ roomId: room.id, isTyping: true });
    await until(() => typing.items.at(-1)?.typing.some((t) => t.id === bob.id) ?? false);
    await bobOn2.api.messages.send.mutate({ roomId: room.id, content: "from process 2", clientMessageId: clientId() });
    await until(() => messages.items.some((m) => m.data.content === "from process 2"));
    await until(() => typing.items.at(-1)?.typing.length === 0);
    await bobOn2.api.dm.send.mutate({ toUserId: alice.id, content: "dm from process 2", clientMessageId: clientId() });
    await until(() =>
      dms.items.some((e) => e.data.type === "message" && e.data.message.content === "dm from process 2"),
    );
    for (const feed of [presence, messages, dms, typing]) feed.stop();
    bobFeed.stop();
  });

  it("ends a subscription on one process when the member is kicked on another", async () => {
    const [p1, p2] = processes as [MurmurProcess, MurmurProcess];
    const owner = await account(p2, "owner");
    const guest = await account(p1, "guest");
    const ownerOn2 = connect(p2, owner.token);
    const guestOn1 = connect(p1, guest.token);
    const room = await ownerOn2.api.rooms.create.mutate({ name: "kick across" });
    await guestOn1.api.rooms.join.mutate({ roomId: room.id });
    const feed = watchRoom(guestOn1, { roomId: room.id });
    await feed.started;
    await sleep(100);
    await ownerOn2.api.rooms.kick.mutate({ roomId: room.id, userId: guest.id });
    await until(() => feed.completed);
  });

  it("holds the message rate limit across processes", async () => {
    const limited = [
      await startMurmurProcess({ ...env(), REDIS_PREFIX: `${prefix}rl:`, MESSAGE_RATE_PER_MINUTE: "6" }),
      await startMurmurProcess({ ...env(), REDIS_PREFIX: `${prefix}rl:`, MESSAGE_RATE_PER_MINUTE: "6" }),
    ];
    processes.push(...limited);
    const [a, b] = limited as [MurmurProcess, MurmurProcess];
    const sender = await account(a, "sender");
    const onA = connect(a, sender.token);
    const onB = connect(b, sender.token);
    const room = await onA.api.rooms.create.mutate({ name: "limited" });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? onA : onB).api.messages.send.mutate({
          roomId: room.id,
          content: `m${i}`,
          clientMessageId: clientId(),
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(6);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toMatchObject({ data: { code: "TOO_MANY_REQUESTS" } });
    await Promise.all(limited.map((p) => p.stop()));
  }, 60_000);

  it("loses and repeats nothing when a process is killed mid-conversation, and takes its users offline", async () => {
    const victim = await startMurmurProcess(env());
    const survivor = processes[1] as MurmurProcess;
    processes.push(victim);
    const talker = await account(survivor, "talker");
    const listener = await account(victim, "listener");
    const idle = await account(victim, "idle");
    const watcher = await account(survivor, "watcher");
    const talkerClient = connect(survivor, talker.token);
    const room = await talkerClient.api.rooms.create.mutate({ name: "crash" });
    await connect(survivor, listener.token).api.rooms.join.mutate({ roomId: room.id });
    const watcherClient = connect(survivor, watcher.token);
    await watcherClient.api.rooms.join.mutate({ roomId: room.id });
    await connect(survivor, idle.token).api.rooms.join.mutate({ roomId: room.id });
    const watcherPresence = watchPresence(watcherClient);
    await watcherPresence.listening;

    const onVictim = connect(victim, listener.token);
    const before = watchRoom(onVictim, { roomId: room.id });
    await before.started;
    // Someone whose only connection is on the process about to die: they must go offline.
    const idleFeed = record((h) => connect(victim, idle.token).api.presence.on.subscribe(undefined, h));
    await idleFeed.started;
    await until(() => watcherPresence.changes.some((c) => c.userId === idle.id && c.isOnline));

    let sent = 0;
    let sending = true;
    const sender = (async () => {
      while (sending) {
        await talkerClient.api.messages.send.mutate({
          roomId: room.id,
          content: `n${++sent}`,
          clientMessageId: clientId(),
        });
        await sleep(5);
      }
    })();
    await until(() => before.items.length >= 10);
    await victim.stop("SIGKILL");
    const killedAt = Date.now();
    const lastEventId = before.items.at(-1)?.id;
    await sleep(200);

    const resumed = record<{ id: string; data: Message }>((h) =>
      connect(survivor, listener.token).api.messages.onRoom.subscribe({ roomId: room.id, lastEventId }, h),
    );
    await until(() => resumed.items.length >= 10);
    sending = false;
    await sender;
    const texts = (items: { data: Message }[]) =>
      items.filter((m) => m.data.messageType === "text").map((m) => m.data.content);
    await until(() => texts(before.items).length + texts(resumed.items).length === sent);
    expect([...texts(before.items), ...texts(resumed.items)]).toEqual(
      Array.from({ length: sent }, (_, i) => `n${i + 1}`),
    );

    await until(() => watcherPresence.changes.some((c) => c.userId === idle.id && !c.isOnline), 30_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
  }, 120_000);
});

describe.skipIf(reason !== null)(`workers of one machine${reason ? ` (skipped: ${reason})` : ""}`, () => {
  it("serves one port from several worker processes with MURMUR_WORKERS", async () => {
    const fresh = await freshDatabase("postgres");
    await fresh.database.close();
    const cluster = await startMurmurProcess({
      DATABASE_URL: fresh.url ?? "",
      REDIS_URL: redisUrl ?? "",
      REDIS_PREFIX: `workers-${randomBytes(3).toString("hex")}:`,
      MURMUR_WORKERS: "2",
    });
    try {
      // The first worker may answer before the second is listening: ask until both have, or 30 s pass.
      const pids = new Set<number>();
      for (const end = Date.now() + 30_000; pids.size < 2 && Date.now() < end;) {
        const health = await fetch(`${cluster.url}/healthz`, { headers: { connection: "close" } });
        pids.add(((await health.json()) as { pid: number }).pid);
        await sleep(20);
      }
      expect(pids.size).toBe(2);
    } finally {
      expect(await cluster.stop("SIGTERM")).toBe(0);
      await fresh.drop();
    }
  }, 60_000);

  it("refuses several workers on the embedded database", async () => {
    await expect(startMurmurProcess({ DATABASE_URL: "", MURMUR_WORKERS: "2" })).rejects.toThrow(/MURMUR_WORKERS/);
  });
});

describe.skipIf(reason !== null)(`a Redis restart${reason ? ` (skipped: ${reason})` : ""}`, () => {
  it("loses no stored message and resumes live delivery when Redis comes back, and has the other streams read again", async () => {
    const port = await freePort();
    const startRedis = () =>
      spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
        stdio: "ignore",
      });
    let redis: ChildProcess = startRedis();
    const fresh = await freshDatabase("postgres");
    await fresh.database.close();
    const env = {
      DATABASE_URL: fresh.url ?? "",
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_PREFIX: "restart:",
      MESSAGE_RATE_PER_MINUTE: "1000000",
    };
    await sleep(300);
    const [p1, p2] = await Promise.all([startMurmurProcess(env), startMurmurProcess(env)]);
    const clients: MurmurClient[] = [];
    try {
      const anon = createMurmurClient({ url: p1.url });
      clients.push(anon);
      const a = await anon.api.auth.register.mutate({
        username: "ann",
        email: "ann@example.test",
        password: "long enough pw",
      });
      const b = await anon.api.auth.register.mutate({
        username: "ben",
        email: "ben@example.test",
        password: "long enough pw",
      });
      const annOn1 = createMurmurClient({ url: p1.url, token: a.token });
      const benOn2 = createMurmurClient({ url: p2.url, token: b.token });
      clients.push(annOn1, benOn2);
      const room = await annOn1.api.rooms.create.mutate({ name: "redis restart" });
      await benOn2.api.rooms.join.mutate({ roomId: room.id });
      const feed = watchRoom(benOn2, { roomId: room.id });
      const activity = record<{ type: string }>((h) => benOn2.api.rooms.onActivity.subscribe(undefined, h));
      const presence = watchPresence(benOn2);
      const listenings = (items: { type: string }[]) => items.filter((i) => i.type === "listening").length;
      await feed.started;
      await until(() => listenings(activity.items) === 1 && listenings(presence.items) === 1);
      const send = (content: string) =>
        annOn1.api.messages.send.mutate({ roomId: room.id, content, clientMessageId: clientId() });
      await send("before");
      await until(() => feed.items.some((m) => m.data.content === "before"));

      redis.kill("SIGKILL");
      const health = async () => ((await (await fetch(`${p1.url}/healthz`)).json()) as { status: string }).status;
      let status = "";
      for (let i = 0; i < 100 && status !== "degraded"; i++) {
        status = await health();
        await sleep(100);
      }
      expect(status).toBe("degraded");
      await send("during 1");
      await send("during 2");
      redis = startRedis();
      // Generous waits: under a loaded CI machine, reconnect back-off and process start-up take a while.
      await until(() => feed.items.some((m) => m.data.content === "during 2"), 40_000);
      // What an outage lost, streams without numbers cannot replay: they tell the client to read again.
      await until(() => listenings(activity.items) === 2 && listenings(presence.items) === 2, 10_000);
      await send("after");
      await until(() => feed.items.some((m) => m.data.content === "after"), 20_000);
      const contents = feed.items.filter((m) => m.data.messageType === "text").map((m) => m.data.content);
      expect(contents).toEqual(["before", "during 1", "during 2", "after"]);
      const history = await annOn1.api.messages.history.query({ roomId: room.id });
      expect(
        history.items
          .filter((m) => m.messageType === "text")
          .map((m) => m.content)
          .reverse(),
      ).toEqual(contents);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await Promise.all([p1.stop("SIGKILL"), p2.stop("SIGKILL")]);
      redis.kill("SIGKILL");
      await fresh.drop();
    }
  }, 120_000);
});
