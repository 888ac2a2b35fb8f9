import type { TypingState } from "@murmur/api-contract";
import { createMurmurClient, type MurmurClient } from "@murmur/client";
import { users } from "@murmur/db";
import { pino } from "pino";
import { expect, it, onTestFinished } from "vitest";
import { createMurmurServer } from "../src/server";
import { clientId, record, sleep, until, watchPresence } from "./helpers/live";
import { refusal } from "./helpers/refusal";
import { describeEachDb, type TestUser } from "./helpers/server";

const names = (state: TypingState | undefined) => state?.typing.map((t) => t.username) ?? [];

describeEachDb("typing and presence", (server) => {
  const watchTyping = (client: MurmurClient, target: { roomId: string } | { peerId: string }) =>
    record<TypingState>((handlers) => client.api.typing.on.subscribe(target, handlers));
  const tab = (user: TestUser) => createMurmurClient({ url: server().url, token: user.token });

  it("shows who is typing in a room to other members, never to the typist, and clears it when they send", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    const bobView = watchTyping(bob.client, { roomId: room.id });
    const aliceView = watchTyping(alice.client, { roomId: room.id });
    await until(() => bobView.items.length === 1 && aliceView.items.length === 1);
    expect(bobView.items[0]).toEqual({ typing: [] });

    await alice.api.typing.set.mutate({ roomId: room.id, isTyping: true });
    await until(() => names(bobView.items.at(-1)).length === 1);
    expect(bobView.items.at(-1)).toEqual({ typing: [{ id: alice.id, username: alice.username }] });

    await alice.api.messages.send.mutate({ roomId: room.id, content: "done typing", clientMessageId: clientId() });
    await until(() => names(bobView.items.at(-1)).length === 0);
    expect(aliceView.items.every((s) => !names(s).includes(alice.username))).toBe(true);
  });

  it("expires a typing entry 5 seconds after its last refresh", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    const bobView = watchTyping(bob.client, { roomId: room.id });
    await until(() => bobView.items.length === 1);
    await alice.api.typing.set.mutate({ roomId: room.id, isTyping: true });
    await until(() => names(bobView.items.at(-1)).length === 1);
    const shownAt = Date.now();
    await sleep(3_000);
    await alice.api.typing.set.mutate({ roomId: room.id, isTyping: true });
    const refreshedAt = Date.now();
    await until(() => names(bobView.items.at(-1)).length === 0, 8_000);
    const clearedAfter = Date.now() - refreshedAt;
    expect(clearedAfter).toBeGreaterThanOrEqual(4_500);
    expect(Date.now() - shownAt).toBeGreaterThan(7_000);
  }, 20_000);

  it("clears typing when the typist's last connection drops", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    const aliceTab = tab(alice);
    const aliceFeed = watchTyping(aliceTab, { roomId: room.id });
    await aliceFeed.started;
    const bobView = watchTyping(bob.client, { roomId: room.id });
    await until(() => bobView.items.length === 1);
    await aliceTab.api.typing.set.mutate({ roomId: room.id, isTyping: true });
    await until(() => names(bobView.items.at(-1)).length === 1);
    await aliceTab.close();
    await until(() => names(bobView.items.at(-1)).length === 0, 3_000);
  });

  it("keeps typing among DM participants and refuses non-members", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const eve = await server().user("eve");
    const room = await server().room(alice, bob);
    const bobView = watchTyping(bob.client, { peerId: alice.id });
    await until(() => bobView.items.length === 1);
    await alice.api.typing.set.mutate({ peerId: bob.id, isTyping: true });
    await until(() => names(bobView.items.at(-1)).includes(alice.username));

    const eveRoom = watchTyping(eve.client, { roomId: room.id });
    await eveRoom.started;
    await until(() => eveRoom.errors.length === 1);
    expect(eveRoom.items).toEqual([]);
    expect(await refusal(eve.api.typing.set.mutate({ roomId: room.id, isTyping: true }))).toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("leaks no bus listener when typing, presence and activity watches stop, end by themselves, or lose their connection", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    const bus = server().server.bus;
    const baseline = bus.listenerCount();
    const watchAll = (client: MurmurClient) => [
      watchTyping(client, { roomId: room.id }),
      watchPresence(client),
      record((handlers) => client.api.rooms.onActivity.subscribe(undefined, handlers)),
    ];
    // Each watch listens on two channels: typing and the room; presence and the user; the user and
    // the one room alice is in.
    const stopped = watchAll(tab(alice));
    await until(() => bus.listenerCount() === baseline + 6);
    for (const feed of stopped) feed.stop();
    await until(() => bus.listenerCount() === baseline);

    const bobTyping = watchTyping(bob.client, { roomId: room.id });
    await until(() => bus.listenerCount() === baseline + 2);
    await bob.api.rooms.leave.mutate({ roomId: room.id });
    await until(() => bobTyping.completed);
    await until(() => bus.listenerCount() === baseline);

    const dropped = tab(alice);
    watchAll(dropped);
    await until(() => bus.listenerCount() === baseline + 6);
    await dropped.close();
    await until(() => bus.listenerCount() === baseline);
  });

  it("says 'listening' on presence and room activity only once their bus listeners are in place", async () => {
    const alice = await server().user("alice");
    await server().room(alice);
    const bus = server().server.bus;
    const baseline = bus.listenerCount();
    const client = tab(alice);
    // A slow upstream subscribe, as Redis's can be, so "listening" sent too early would arrive first.
    const subscribe = bus.subscribe.bind(bus);
    bus.subscribe = async (...args) => {
      await sleep(50);
      return subscribe(...args);
    };
    onTestFinished(() => {
      bus.subscribe = subscribe;
    });
    // Both streams listen on two channels: presence and the user; the user and the one room alice is in.
    const listenersAtListening = (open: (onData: (item: { type: string }) => void) => { unsubscribe(): void }) =>
      new Promise<number>((resolve) => {
        const subscription = open((item) => {
          if (item.type !== "listening") return;
          resolve(bus.listenerCount() - baseline);
          subscription.unsubscribe();
        });
      });
    expect(await listenersAtListening((onData) => client.api.presence.on.subscribe(undefined, { onData }))).toBe(2);
    await until(() => bus.listenerCount() === baseline);
    expect(await listenersAtListening((onData) => client.api.rooms.onActivity.subscribe(undefined, { onData }))).toBe(
      2,
    );
    await client.close();
  });

  it("keeps a user online while any tab is open, and offline with last_seen once all are closed", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    const aliceWatch = watchPresence(alice.client);
    await aliceWatch.listening;
    const tab1 = tab(bob);
    const tab2 = tab(bob);
    const keepOpen = [watchPresence(tab1), watchPresence(tab2)];
    await Promise.all(keepOpen.map((f) => f.started));
    await until(() => aliceWatch.changes.some((c) => c.userId === bob.id && c.isOnline));
    const isBobOnline = async () =>
      (await alice.api.rooms.members.query({ roomId: room.id })).find((m) => m.user.id === bob.id)?.user;
    expect(await isBobOnline()).toMatchObject({ isOnline: true });

    await tab1.close();
    await sleep(300);
    expect(aliceWatch.changes.filter((c) => c.userId === bob.id).map((c) => c.isOnline)).toEqual([true]);
    expect(await isBobOnline()).toMatchObject({ isOnline: true });

    await tab2.close();
    await until(() => aliceWatch.changes.filter((c) => c.userId === bob.id).length === 2);
    const offline = aliceWatch.changes.at(-1);
    expect(offline).toMatchObject({ userId: bob.id, isOnline: false });
    expect(offline?.lastSeen).toBeInstanceOf(Date);
    const bobNow = await isBobOnline();
    expect(bobNow?.isOnline).toBe(false);
    expect(bobNow?.lastSeen?.getTime()).toBe(offline?.lastSeen?.getTime());
  });

  it("tells presence only to users who share a room or a DM", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const dana = await server().user("dana");
    const stranger = await server().user("stranger");
    await server().room(alice, bob);
    await dana.api.dm.send.mutate({ toUserId: bob.id, content: "hi", clientMessageId: clientId() });
    const watchers = [alice, dana, stranger].map((u) => watchPresence(u.client));
    await Promise.all(watchers.map((w) => w.listening));
    const bobTab = tab(bob);
    const bobFeed = watchPresence(bobTab);
    await bobFeed.started;
    const [aliceWatch, danaWatch, strangerWatch] = watchers;
    await until(() => !!aliceWatch?.changes.some((c) => c.userId === bob.id && c.isOnline));
    await until(() => !!danaWatch?.changes.some((c) => c.userId === bob.id && c.isOnline));
    await sleep(200);
    expect(strangerWatch?.changes.filter((c) => c.userId === bob.id)).toEqual([]);
    await bobTab.close();
  });

  it("starts a server with nobody online, whatever a crash left behind", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    await server().database.db.update(users).set({ isOnline: true });
    expect((await alice.api.rooms.members.query({ roomId: room.id })).map((m) => m.user.isOnline)).toEqual([
      true,
      true,
    ]);
    const restarted = createMurmurServer({ database: server().database, log: pino({ level: "silent" }) });
    await restarted.listen(0, "127.0.0.1");
    try {
      const members = await alice.api.rooms.members.query({ roomId: room.id });
      expect(members.map((m) => m.user.isOnline)).toEqual([false, false]);
    } finally {
      await restarted.close();
    }
  });
});
