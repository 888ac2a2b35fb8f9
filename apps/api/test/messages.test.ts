import type { Message } from "@murmur/api-contract";
import { chatRooms } from "@murmur/db";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { clientId, record, sleep, until, watchRoom } from "./helpers/live";
import { refusal } from "./helpers/refusal";
import WebSocket from "ws";
import { DEFAULT_CONNECTION_LIMITS } from "../src/ws-connection";
import { describeEachDb, startTestServer, type TestUser } from "./helpers/server";

const send = (user: TestUser, roomId: string, content: string) =>
  user.api.messages.send.mutate({ roomId, content, clientMessageId: clientId() });

const seqs = (messages: Message[]) => messages.map((m) => m.seq);
const texts = (messages: Message[]) => messages.filter((m) => m.messageType === "text");
/** Sequence numbers after a room's current last one: joins also take numbers (as system messages). */
const nextSeqs = (base: number, count: number) => Array.from({ length: count }, (_, i) => base + i + 1);
const lastSeqOf = async (user: TestUser, roomId: string) => (await user.api.rooms.get.query({ roomId })).lastSeq;

describeEachDb("room messages", (server) => {
  it("stores a sent message and delivers it live to another member's subscription", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    const feed = watchRoom(bob.client, { roomId: room.id });
    await feed.started;
    const base = await lastSeqOf(alice, room.id);

    const sent = await send(alice, room.id, "hello <b>bob</b>");
    expect(sent).toMatchObject({ roomId: room.id, seq: base + 1, content: "hello <b>bob</b>", messageType: "text" });
    expect(sent.sender).toEqual({ id: alice.id, username: alice.username });

    await until(() => feed.messages.length === 1);
    expect(feed.messages[0]).toEqual(sent);
    expect(feed.eventIds).toEqual([String(base + 1)]);
    const history = await bob.api.messages.history.query({ roomId: room.id });
    expect(history.items[0]).toEqual(sent);
    expect(history.items.map((m) => [m.messageType, m.content])).toEqual([
      ["text", "hello <b>bob</b>"],
      ["system", `${bob.username} joined`],
    ]);
  });

  it("refuses non-members: no send, no history, no subscription", async () => {
    const alice = await server().user("alice");
    const mallory = await server().user("mallory");
    const room = await server().room(alice);
    await send(alice, room.id, "members only");

    expect(await refusal(send(mallory, room.id, "let me in"))).toMatchObject({
      code: "FORBIDDEN",
      appCode: "NOT_A_MEMBER",
    });
    expect(await refusal(mallory.api.messages.history.query({ roomId: room.id }))).toMatchObject({ code: "FORBIDDEN" });
    const feed = watchRoom(mallory.client, { roomId: room.id });
    await feed.started;
    await until(() => feed.errors.length === 1);
    expect(feed.messages).toEqual([]);
    expect((await alice.api.messages.history.query({ roomId: room.id })).items).toHaveLength(1);
  });

  it("refuses empty, blank, over-long and unstorable messages with BAD_REQUEST and stores nothing", async () => {
    const alice = await server().user("alice");
    const room = await server().room(alice);
    for (const content of ["", "   \n\t ", "x".repeat(4001), "nul \u0000 byte", "half \ud83d a pair"]) {
      expect(await refusal(send(alice, room.id, content))).toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(
      await refusal(alice.api.messages.send.mutate({ roomId: room.id, content: "hi", clientMessageId: "has space" })),
    ).toMatchObject({ code: "BAD_REQUEST" });
    await expect(send(alice, room.id, "x".repeat(4000))).resolves.toMatchObject({ seq: 1 });
    expect((await alice.api.messages.history.query({ roomId: room.id })).items).toHaveLength(1);
  });

  it("stores a message once when the same clientMessageId is sent again, even concurrently", async () => {
    const alice = await server().user("alice");
    const room = await server().room(alice);
    const id = clientId();
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        alice.api.messages.send.mutate({ roomId: room.id, content: "once", clientMessageId: id }),
      ),
    );
    expect(new Set(attempts.map((m) => m.id)).size).toBe(1);
    const again = await alice.api.messages.send.mutate({ roomId: room.id, content: "once", clientMessageId: id });
    expect(again.id).toBe(attempts[0]?.id);
    const history = await alice.api.messages.history.query({ roomId: room.id });
    expect(history.items).toHaveLength(1);
    const next = await send(alice, room.id, "after");
    expect(next.seq).toBe(2);
    expect(
      await refusal(
        alice.api.messages.send.mutate({ roomId: room.id, content: "something else", clientMessageId: id }),
      ),
    ).toMatchObject({ code: "CONFLICT", appCode: "CLIENT_MESSAGE_ID_REUSED" });
  });

  it("pages 250 messages of history newest-first with a keyset cursor, none missing or repeated", async () => {
    const alice = await server().user("alice");
    const room = await server().room(alice);
    for (let i = 1; i <= 250; i++) await send(alice, room.id, `message ${i}`);

    const pages: Message[][] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Message[]; nextCursor: string | null } = await alice.api.messages.history.query({
        roomId: room.id,
        cursor,
        limit: 100,
      });
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    const all = pages.flat();
    expect(seqs(all)).toEqual(Array.from({ length: 250 }, (_, i) => 250 - i));
    expect(all.map((m) => m.content).at(-1)).toBe("message 1");
    const defaultPage = await alice.api.messages.history.query({ roomId: room.id });
    expect(defaultPage.items).toHaveLength(50);
    expect(await refusal(alice.api.messages.history.query({ roomId: room.id, limit: 101 }))).toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("delivers concurrent senders' messages to every subscriber in one order, the order of history", async () => {
    const users = await Promise.all([server().user("s1"), server().user("s2"), server().user("s3")]);
    const [first, ...rest] = users as [TestUser, ...TestUser[]];
    const room = await server().room(first, ...rest);
    const feeds = users.map((u) => watchRoom(u.client, { roomId: room.id }));
    await Promise.all(feeds.map((f) => f.started));
    const base = await lastSeqOf(first, room.id);

    await Promise.all(
      users.map(async (u) => {
        for (let i = 0; i < 20; i++) await send(u, room.id, `${u.username} ${i}`);
      }),
    );
    await until(() => feeds.every((f) => f.messages.length === 60));
    const history = texts((await first.api.messages.history.query({ roomId: room.id, limit: 100 })).items.reverse());
    expect(seqs(history)).toEqual(nextSeqs(base, 60));
    for (const feed of feeds) expect(feed.messages.map((m) => m.id)).toEqual(history.map((m) => m.id));
  });

  it("stores a burst of concurrent sends to several rooms gaplessly, refusing only outsiders and storing repeats once", async () => {
    const [alice, bob, carol] = await Promise.all([
      server().user("alice"),
      server().user("bob"),
      server().user("carol"),
    ]);
    const roomA = await server().room(alice, bob);
    const roomB = await server().room(bob, alice);
    const bases = { [roomA.id]: await lastSeqOf(alice, roomA.id), [roomB.id]: await lastSeqOf(bob, roomB.id) };
    const repeatedId = clientId();
    const attempts = [
      ...Array.from({ length: 30 }, (_, i) => ({ user: i % 2 ? alice : bob, roomId: i % 3 ? roomA.id : roomB.id })),
    ].map(({ user, roomId }, i) =>
      user.api.messages.send.mutate({ roomId, content: `burst ${i}`, clientMessageId: clientId() }),
    );
    const repeats = Array.from({ length: 4 }, () =>
      alice.api.messages.send.mutate({ roomId: roomA.id, content: "once", clientMessageId: repeatedId }),
    );
    const outsider = refusal(send(carol, roomA.id, "let me in"));
    const stored = await Promise.all(attempts);
    const repeated = await Promise.all(repeats);
    expect(await outsider).toMatchObject({ code: "FORBIDDEN", appCode: "NOT_A_MEMBER" });

    expect(stored.map((m) => m.content)).toEqual(Array.from({ length: 30 }, (_, i) => `burst ${i}`));
    expect(new Set(repeated.map((m) => m.id)).size).toBe(1);
    for (const room of [roomA, roomB]) {
      const items = (await alice.api.messages.history.query({ roomId: room.id, limit: 100 })).items.reverse();
      const fresh = items.filter((m) => m.seq > (bases[room.id] ?? 0));
      const expected = [...stored, ...(room === roomA ? repeated.slice(0, 1) : [])].filter((m) => m.roomId === room.id);
      expect(seqs(fresh)).toEqual(nextSeqs(bases[room.id] ?? 0, expected.length));
      expect(new Set(fresh.map((m) => m.id))).toEqual(new Set(expected.map((m) => m.id)));
    }
  });

  it("delivers to each of one connection's subscriptions only its own stream, the same room twice included", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const roomA = await server().room(alice, bob);
    const roomB = await server().room(alice, bob);
    await send(alice, roomA.id, "before");
    const baseA = await lastSeqOf(alice, roomA.id);
    const baseB = await lastSeqOf(alice, roomB.id);
    // All on bob's one WebSocket, started together; the second watch of room A replays from 0.
    const feeds = [
      watchRoom(bob.client, { roomId: roomA.id, lastEventId: String(baseA) }),
      watchRoom(bob.client, { roomId: roomB.id, lastEventId: String(baseB) }),
      watchRoom(bob.client, { roomId: roomA.id, lastEventId: "0" }),
    ] as const;
    await Promise.all(feeds.map((f) => f.started));

    for (let i = 1; i <= 10; i++) await Promise.all([send(alice, roomA.id, `a${i}`), send(alice, roomB.id, `b${i}`)]);
    await until(() => feeds[0].messages.length === 10 && feeds[1].messages.length === 10);
    await until(() => feeds[2].messages.length === baseA + 10);
    expect(feeds[0].messages.map((m) => [m.roomId, m.seq])).toEqual(nextSeqs(baseA, 10).map((n) => [roomA.id, n]));
    expect(feeds[1].messages.map((m) => [m.roomId, m.seq])).toEqual(nextSeqs(baseB, 10).map((n) => [roomB.id, n]));
    expect(seqs(feeds[2].messages)).toEqual(nextSeqs(0, baseA + 10));
    expect(feeds[2].messages.every((m) => m.roomId === roomA.id)).toBe(true);
  });

  it("closes a connection that stopped reading once it falls too far behind, and nobody else notices", async () => {
    const slowServer = await startTestServer(server().mode, {
      connections: { ...DEFAULT_CONNECTION_LIMITS, maxBufferedBytes: 64 * 1024 },
    });
    try {
      const alice = await slowServer.user("alice");
      const bob = await slowServer.user("bob");
      const room = await slowServer.room(alice, bob);
      const lastSeq = String(await lastSeqOf(alice, room.id));
      const aliceFeed = watchRoom(alice.client, { roomId: room.id, lastEventId: lastSeq });
      await aliceFeed.started;
      const stalled = new WebSocket(`${slowServer.url.replace(/^http/, "ws")}/trpc?connectionParams=1`);
      const closed = new Promise<number>((resolve) => stalled.once("close", (code) => resolve(code)));
      let frames = 0;
      const started = new Promise<void>((resolve) => stalled.on("message", () => ++frames === ids.length && resolve()));
      await new Promise((resolve) => stalled.once("open", resolve));
      stalled.send(JSON.stringify({ method: "connectionParams", data: { token: bob.token } }));
      const input = { json: { roomId: room.id, lastEventId: lastSeq } };
      // Forty subscriptions to the same room: each message piles up 160 KB.
      const ids = Array.from({ length: 40 }, (_, i) => i + 1);
      for (const id of ids)
        stalled.send(JSON.stringify({ id, method: "subscription", params: { path: "messages.onRoom", input } }));
      await started;
      stalled.pause();

      // 40 MB: more than the kernel's socket buffers (up to 36 MB here) and the limit together hold.
      const long = "x".repeat(3_990);
      const sent = 250;
      for (let i = 1; i <= sent; i++) await send(alice, room.id, `${i} ${long}`);
      stalled.resume();
      expect(await closed).toBe(4408);
      await until(() => aliceFeed.messages.length === sent);
      expect(aliceFeed.errors).toEqual([]);
    } finally {
      await slowServer.close();
    }
  });

  it("writes a live message as the same text frame, byte for byte, that tRPC writes when it backfills it", async () => {
    const alice = await server().user("alice");
    const room = await server().room(alice);
    const before = await lastSeqOf(alice, room.id);
    const frames = (socket: WebSocket) => {
      const received: { text: string; binary: boolean }[] = [];
      socket.on("message", (data: Buffer, binary) => received.push({ text: data.toString("utf8"), binary }));
      return received;
    };
    const subscribe = async (lastEventId: string) => {
      const socket = new WebSocket(`${server().url.replace(/^http/, "ws")}/trpc?connectionParams=1`);
      const received = frames(socket);
      await new Promise((resolve) => socket.once("open", resolve));
      socket.send(JSON.stringify({ method: "connectionParams", data: { token: alice.token } }));
      const input = { json: { roomId: room.id, lastEventId } };
      socket.send(JSON.stringify({ id: 7, method: "subscription", params: { path: "messages.onRoom", input } }));
      await until(() => received.some((f) => f.text.includes('"started"')));
      return { socket, received };
    };
    const live = await subscribe(String(before));
    const message = await send(alice, room.id, "the same bytes");
    const backfilled = await subscribe(String(before));
    const dataFrame = (received: { text: string; binary: boolean }[]) =>
      until(() => received.some((f) => f.text.includes(message.id))).then(() =>
        received.find((f) => f.text.includes(message.id)),
      );
    const direct = await dataFrame(live.received);
    const throughTrpc = await dataFrame(backfilled.received);
    expect(direct?.binary).toBe(false);
    expect(direct).toEqual(throughTrpc);
    live.socket.close();
    backfilled.socket.close();
  });

  /** A member watching their room after one real message, so events can be published straight to the bus after it. */
  const watchingAfterFirst = async () => {
    const alice = await server().user("alice");
    const room = await server().room(alice);
    const feed = watchRoom(alice.client, { roomId: room.id });
    await feed.started;
    const first = await send(alice, room.id, "first");
    await until(() => feed.messages.length === 1);
    return { alice, room, feed, first };
  };

  it("frames every live event published in one turn, one of them over 64 KiB, so the client reads each in order", async () => {
    const { room, feed, first } = await watchingAfterFirst();
    // Frames under and over 64 KiB: a header's 16-bit and 64-bit lengths (a live message's frame is
    // never under 126 bytes, the 7-bit length).
    const contents = ["s", "m".repeat(1_000), "l".repeat(70_000)];
    const events = contents.map((content, i) => ({
      ...first,
      id: `00000000-0000-4000-8000-00000000000${i + 1}`,
      seq: first.seq + i + 1,
      content,
    }));
    for (const message of events) {
      void server().server.bus.publish("room", room.id, { kind: "message", roomId: room.id, message });
    }
    await until(() => feed.messages.length === 4);
    expect(feed.messages.slice(1)).toEqual(events);
    expect(feed.eventIds).toEqual([first.seq, ...events.map((m) => m.seq)].map(String));
  });

  it("holds a live event that overtook its predecessor until the predecessor arrives, then delivers both in order", async () => {
    const { room, feed, first } = await watchingAfterFirst();
    // Two events published out of order, as concurrent senders can: the later one must wait.
    const later = { ...first, id: "00000000-0000-4000-8000-000000000002", seq: first.seq + 2, content: "third" };
    const earlier = { ...first, id: "00000000-0000-4000-8000-000000000001", seq: first.seq + 1, content: "second" };
    await server().server.bus.publish("room", room.id, { kind: "message", roomId: room.id, message: later });
    await sleep(20);
    expect(feed.messages.map((m) => m.content)).toEqual(["first"]);
    await server().server.bus.publish("room", room.id, { kind: "message", roomId: room.id, message: earlier });
    await until(() => feed.messages.length === 3);
    expect(feed.messages.map((m) => m.content)).toEqual(["first", "second", "third"]);
    expect(feed.eventIds).toEqual([first.seq, first.seq + 1, first.seq + 2].map(String));
  });

  it("reads a message the bus lost from the database once the one after it has waited, and delivers both in order", async () => {
    const { room, feed, alice } = await watchingAfterFirst();
    const bus = server().server.bus;
    const publish = bus.publish;
    // A bus that drops an event, as Redis can: "second" is stored but never published.
    bus.publish = () => Promise.resolve();
    const second = await send(alice, room.id, "second");
    bus.publish = publish;
    const third = await send(alice, room.id, "third");
    await until(() => feed.messages.length === 3);
    expect(feed.messages.map((m) => m.content)).toEqual(["first", "second", "third"]);
    expect(feed.eventIds.slice(1)).toEqual([second.seq, third.seq].map(String));
  });

  it("goes on past a number the database handed out but cannot read back, instead of stalling until the next message", async () => {
    const { room, feed, first } = await watchingAfterFirst();
    // first.seq + 1 is taken but nothing readable is stored under it (as for a DM event that is not
    // shown): after the gap wait and a read that finds nothing, the event after it is delivered.
    await server()
      .database.db.update(chatRooms)
      .set({ lastSeq: first.seq + 2 })
      .where(eq(chatRooms.id, room.id));
    const later = { ...first, id: "00000000-0000-4000-8000-000000000002", seq: first.seq + 2, content: "later" };
    await server().server.bus.publish("room", room.id, { kind: "message", roomId: room.id, message: later });
    await until(() => feed.messages.length === 2);
    expect(feed.messages.map((m) => m.content)).toEqual(["first", "later"]);
    expect(feed.eventIds).toEqual([first.seq, first.seq + 2].map(String));
  });

  it("resumes from lastEventId with exactly the messages missed while away, while others keep sending", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    let sending = true;
    let sent = 0;
    const sender = (async () => {
      while (sending || sent < 30) {
        await send(alice, room.id, `tick ${++sent}`);
        await sleep(2);
      }
    })();

    const before = watchRoom(bob.client, { roomId: room.id, lastEventId: "0" });
    await until(() => before.messages.length >= 10);
    before.stop();
    const seen = before.messages.slice();
    const lastEventId = before.eventIds.at(-1);
    const seenTicks = texts(seen).length;
    await until(() => sent >= seenTicks + 15);

    const after = watchRoom(bob.client, { roomId: room.id, lastEventId });
    await until(() => after.messages.length >= 10);
    sending = false;
    await sender;
    await until(() => texts(seen).length + texts(after.messages).length === sent);
    const all = [...seen, ...after.messages];
    expect(seqs(all)).toEqual(nextSeqs(0, all.length));
    expect(texts(all).map((m) => m.content)).toEqual(Array.from({ length: sent }, (_, i) => `tick ${i + 1}`));
  });

  it("reconnects by itself after a dropped connection and delivers exactly the missed messages", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    const feed = watchRoom(bob.client, { roomId: room.id });
    await feed.started;
    const base = await lastSeqOf(alice, room.id);
    for (let i = 1; i <= 5; i++) await send(alice, room.id, `before ${i}`);
    await until(() => feed.messages.length === 5);

    const socket = bob.client.ws.connection?.ws as unknown as { terminate(): void } | undefined;
    expect(socket).toBeDefined();
    socket?.terminate();
    for (let i = 1; i <= 10; i++) await send(alice, room.id, `while away ${i}`);
    await until(() => feed.messages.length === 15);
    await sleep(100);
    expect(seqs(feed.messages)).toEqual(nextSeqs(base, 15));
    expect(feed.errors).toEqual([]);
  });

  it("ends a member's subscription when they leave the room, and history is refused afterwards", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    const feed = watchRoom(bob.client, { roomId: room.id });
    await feed.started;
    await bob.api.rooms.leave.mutate({ roomId: room.id });
    await until(() => feed.completed);
    await send(alice, room.id, "after bob left");
    await sleep(100);
    expect(feed.messages).toEqual([]);
    expect(await refusal(bob.api.messages.history.query({ roomId: room.id }))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("leaks no bus listener when streams end by themselves, as a member's do when they leave", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice);
    const lobby = await server().room(alice, bob);
    // Keeps bob's connection open; its first item proves its own listeners are attached.
    const keeper = record((h) => bob.client.api.typing.on.subscribe({ roomId: lobby.id }, h));
    await until(() => keeper.items.length === 1);
    const baseline = server().server.bus.listenerCount();
    for (let i = 0; i < 5; i++) {
      await bob.api.rooms.join.mutate({ roomId: room.id });
      const feed = watchRoom(bob.client, { roomId: room.id });
      await feed.started;
      await bob.api.rooms.leave.mutate({ roomId: room.id });
      await until(() => feed.completed);
    }
    await until(() => server().server.bus.listenerCount() === baseline);
    keeper.stop();
  });

  it("over HTTP (server-sent events) too, lets go of a stream when its client goes away, and counts no refused one", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice);
    const baseline = server().server.bus.listenerCount();
    const input = encodeURIComponent(JSON.stringify({ json: { roomId: room.id } }));
    const open = (user: TestUser, signal?: AbortSignal) =>
      fetch(`${server().url}/trpc/messages.onRoom?input=${input}`, {
        headers: { authorization: `Bearer ${user.token}`, accept: "text/event-stream" },
        signal: signal ?? null,
      });
    const leaving = new AbortController();
    const stream = await open(alice, leaving.signal);
    const reader = stream.body?.getReader();
    await reader?.read();
    await until(() => server().server.bus.listenerCount() === baseline + 1);
    leaving.abort();
    // Released at once, though nothing is sent in the room that would wake the stream.
    await until(() => server().server.bus.listenerCount() === baseline);
    const refused = await open(bob);
    expect(await refused.text()).toContain("FORBIDDEN");
    await sleep(50);
    expect(server().server.bus.listenerCount()).toBe(baseline);
  });

  it("leaks no bus listener after 100 subscribe/unsubscribe cycles", async () => {
    const alice = await server().user("alice");
    const room = await server().room(alice);
    // Keeps the connection (and its own session listener) open, so only subscriptions come and go;
    // its first item proves its own listeners are attached before the baseline is taken.
    const keeper = record((h) => alice.client.api.typing.on.subscribe({ roomId: room.id }, h));
    await until(() => keeper.items.length === 1);
    const baseline = server().server.bus.listenerCount();
    for (let i = 0; i < 100; i++) {
      const feed = watchRoom(alice.client, { roomId: room.id });
      await feed.started;
      feed.stop();
    }
    await until(() => server().server.bus.listenerCount() === baseline);
    const feed = watchRoom(alice.client, { roomId: room.id });
    await feed.started;
    await until(() => server().server.bus.listenerCount() === baseline + 1);
    feed.stop();
    keeper.stop();
    await until(() => server().server.bus.listenerCount() < baseline);
  });
});
