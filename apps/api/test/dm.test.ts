import type { DmEvent, DmMessage } from "@murmur/api-contract";
import type { MurmurClient } from "@murmur/client";
import { createMurmurClient } from "@murmur/client";
import { expect, it } from "vitest";
import { clientId, record, sleep, until } from "./helpers/live";
import { refusal } from "./helpers/refusal";
import { describeEachDb, type TestUser } from "./helpers/server";

type Tracked = { id: string; data: DmEvent };

/**
 * Without a lastEventId a stream starts from the user's number when the server reads it, which
 * under load can be after the "started" frame and after a DM sent on seeing it. These users are
 * new, so "0" (their first event onwards) is exact and catches every DM however the timing goes.
 */
const watchDms = (client: MurmurClient, lastEventId = "0") =>
  record<Tracked>((handlers) => client.api.dm.onMessage.subscribe({ lastEventId }, handlers));

const dmsIn = (feed: { items: Tracked[] }): DmMessage[] =>
  feed.items.flatMap((e) => (e.data.type === "message" ? [e.data.message] : []));

const dm = (from: TestUser, to: TestUser, content: string) =>
  from.api.dm.send.mutate({ toUserId: to.id, content, clientMessageId: clientId() });

describeEachDb("direct messages", (server) => {
  const tab = (user: TestUser) => {
    const client = createMurmurClient({ url: server().url, token: user.token });
    return client;
  };

  it("delivers a DM to every tab of both users and to nobody else", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const carol = await server().user("carol");
    const aliceTabs = [alice.client, tab(alice)];
    const bobTabs = [bob.client, tab(bob)];
    const feeds = [...aliceTabs, ...bobTabs].map((c) => watchDms(c));
    const carolFeed = watchDms(carol.client);
    await Promise.all([...feeds, carolFeed].map((f) => f.started));

    const sent = await alice.api.dm.send.mutate({
      toUsername: bob.username.toUpperCase(),
      content: "psst",
      clientMessageId: clientId(),
    });
    expect(sent).toMatchObject({ seq: 1, content: "psst", isRead: false });
    expect(sent.sender).toEqual({ id: alice.id, username: alice.username });
    expect(sent.recipient).toEqual({ id: bob.id, username: bob.username });
    await until(() => feeds.every((f) => dmsIn(f).length === 1));
    for (const feed of feeds) expect(dmsIn(feed)[0]).toEqual(sent);
    await sleep(100);
    expect(carolFeed.items).toEqual([]);
    await Promise.all([aliceTabs[1]?.close(), bobTabs[1]?.close()]);
  });

  it("keeps one conversation per pair, ordered the same for both, listed most recent first with unread counts", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const carol = await server().user("carol");
    await dm(alice, bob, "hi bob");
    await dm(bob, alice, "hi alice");
    await dm(alice, bob, "how are you");
    await dm(carol, alice, "hello from carol");

    const aliceHistory = await alice.api.dm.history.query({ peerId: bob.id });
    const bobHistory = await bob.api.dm.history.query({ peerId: alice.id });
    expect(aliceHistory.items.map((m) => [m.seq, m.content])).toEqual([
      [3, "how are you"],
      [2, "hi alice"],
      [1, "hi bob"],
    ]);
    expect(bobHistory.items).toEqual(aliceHistory.items);

    const aliceConversations = await alice.api.dm.conversations.query({});
    expect(aliceConversations.items.map((c) => [c.peer.username, c.lastMessage?.content, c.unreadCount])).toEqual([
      [carol.username, "hello from carol", 1],
      [bob.username, "how are you", 1],
    ]);
    const bobConversations = await bob.api.dm.conversations.query({});
    expect(bobConversations.items.map((c) => [c.peer.username, c.unreadCount])).toEqual([[alice.username, 2]]);
    expect(JSON.stringify([aliceConversations, bobConversations])).not.toContain(alice.email);
    expect(JSON.stringify([aliceConversations, bobConversations])).not.toContain(carol.email);
  });

  it("pages DM history with a keyset cursor", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    for (let i = 1; i <= 25; i++) await dm(i % 2 ? alice : bob, i % 2 ? bob : alice, `m${i}`);
    const first = await alice.api.dm.history.query({ peerId: bob.id, limit: 10 });
    const second = await alice.api.dm.history.query({ peerId: bob.id, limit: 10, cursor: first.nextCursor });
    const third = await alice.api.dm.history.query({ peerId: bob.id, limit: 10, cursor: second.nextCursor });
    expect(third.nextCursor).toBeNull();
    expect([...first.items, ...second.items, ...third.items].map((m) => m.seq)).toEqual(
      Array.from({ length: 25 }, (_, i) => 25 - i),
    );
  });

  it("stores a DM once when its clientMessageId is sent again", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const id = clientId();
    const tries = await Promise.all(
      Array.from({ length: 5 }, () =>
        alice.api.dm.send.mutate({ toUserId: bob.id, content: "once", clientMessageId: id }),
      ),
    );
    expect(new Set(tries.map((m) => m.id)).size).toBe(1);
    expect((await bob.api.dm.history.query({ peerId: alice.id })).items).toHaveLength(1);
    // Repeats take no number: the conversation stays gapless.
    await expect(dm(alice, bob, "next")).resolves.toMatchObject({ seq: 2 });
  });

  it("resumes after a drop with exactly the DMs missed", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const first = watchDms(bob.client);
    await first.started;
    for (let i = 1; i <= 5; i++) await dm(alice, bob, `before ${i}`);
    await until(() => first.items.length === 5);
    first.stop();
    const lastEventId = first.items.at(-1)?.id;
    for (let i = 1; i <= 7; i++) await dm(alice, bob, `away ${i}`);
    const resumed = watchDms(bob.client, lastEventId);
    await resumed.started;
    for (let i = 1; i <= 3; i++) await dm(alice, bob, `after ${i}`);
    await until(() => resumed.items.length === 10);
    await sleep(100);
    expect(dmsIn(resumed).map((m) => m.content)).toEqual([
      ...Array.from({ length: 7 }, (_, i) => `away ${i + 1}`),
      ...Array.from({ length: 3 }, (_, i) => `after ${i + 1}`),
    ]);
    const ids = [...first.items, ...resumed.items].map((e) => Number(e.id));
    expect(ids).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it("replays from the conversation list's eventSeq the DMs stored after the list was read, and none before", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    await dm(alice, bob, "listed");
    const list = await bob.api.dm.conversations.query({});
    expect(list.items.map((c) => c.lastMessage?.content)).toEqual(["listed"]);
    // Stored after the list was read and before the stream is opened: in neither, unless replayed.
    await dm(alice, bob, "between");
    const feed = watchDms(bob.client, String(list.eventSeq));
    await feed.started;
    await dm(alice, bob, "live");
    await until(() => feed.items.length === 2);
    await sleep(100);
    expect(dmsIn(feed).map((m) => m.content)).toEqual(["between", "live"]);
    expect(list.eventSeq).toBe(1);
    const later = await bob.api.dm.conversations.query({});
    expect(later.eventSeq).toBe(3);
  });

  it("marks DMs read and tells the sender live, and the reader's other tabs", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const aliceFeed = watchDms(alice.client);
    const bobOtherTab = tab(bob);
    const bobFeed = watchDms(bobOtherTab);
    await Promise.all([aliceFeed.started, bobFeed.started]);
    await dm(alice, bob, "one");
    const second = await dm(alice, bob, "two");
    expect((await bob.api.dm.conversations.query({})).items[0]?.unreadCount).toBe(2);

    expect(await bob.api.dm.markRead.mutate({ peerId: alice.id, upTo: second.seq })).toEqual({ updated: 2 });
    expect(await bob.api.dm.markRead.mutate({ peerId: alice.id, upTo: second.seq })).toEqual({ updated: 0 });
    const receipt = { type: "read", conversationId: second.conversationId, readerId: bob.id, upToSeq: 2 };
    await until(() => aliceFeed.items.some((e) => e.data.type === "read"));
    await until(() => bobFeed.items.some((e) => e.data.type === "read"));
    expect(aliceFeed.items.filter((e) => e.data.type === "read").map((e) => e.data)).toEqual([receipt]);
    expect(bobFeed.items.filter((e) => e.data.type === "read").map((e) => e.data)).toEqual([receipt]);
    expect((await bob.api.dm.conversations.query({})).items[0]?.unreadCount).toBe(0);
    expect((await alice.api.dm.history.query({ peerId: bob.id })).items.every((m) => m.isRead)).toBe(true);

    const replay = watchDms(alice.client, "0");
    await until(() => replay.items.length === 3);
    expect(replay.items.map((e) => e.data.type)).toEqual(["message", "message", "read"]);
    await bobOtherTab.close();
  });

  it("refuses DMs from a blocked user with FORBIDDEN that does not say 'blocked'", async () => {
    const alice = await server().user("alice");
    const troll = await server().user("troll");
    await dm(troll, alice, "first");
    await alice.api.dm.block.mutate({ userId: troll.id });
    const refused = await refusal(dm(troll, alice, "again"));
    expect(refused).toMatchObject({ code: "FORBIDDEN", appCode: "DM_REFUSED" });
    expect(refused.message.toLowerCase()).not.toContain("block");
    expect(await refusal(dm(alice, troll, "hey"))).toMatchObject({ code: "FORBIDDEN", appCode: "YOU_BLOCKED_USER" });
    expect((await alice.api.dm.blocked.query()).map((u) => u.id)).toEqual([troll.id]);
    expect((await alice.api.dm.history.query({ peerId: troll.id })).items).toHaveLength(1);

    await alice.api.dm.unblock.mutate({ userId: troll.id });
    await expect(dm(troll, alice, "sorry")).resolves.toMatchObject({ seq: 2 });
  });

  it("refuses DMs to nobody, to oneself, and anonymous or malformed sends", async () => {
    const alice = await server().user("alice");
    expect(
      await refusal(
        alice.api.dm.send.mutate({ toUsername: "no_such_user", content: "hi", clientMessageId: clientId() }),
      ),
    ).toMatchObject({ code: "NOT_FOUND", appCode: "USER_NOT_FOUND" });
    expect(await refusal(dm(alice, alice, "me"))).toMatchObject({
      code: "BAD_REQUEST",
      appCode: "CANNOT_MESSAGE_SELF",
    });
    expect(
      await refusal(alice.api.dm.send.mutate({ toUserId: alice.id, content: "   ", clientMessageId: clientId() })),
    ).toMatchObject({ code: "BAD_REQUEST" });
    const anon = server().anonymous();
    expect(
      await refusal(anon.api.dm.send.mutate({ toUserId: alice.id, content: "hi", clientMessageId: clientId() })),
    ).toMatchObject({ code: "UNAUTHORIZED" });
  });
});
